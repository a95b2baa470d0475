namespace ReproKit.Models;

/// <summary>The backbones the kit builds.</summary>
public enum BackboneKind
{
    /// <summary><see cref="CompactVgg16"/>, for 28 to 64 pixel images.</summary>
    Compact,

    /// <summary>torchvision's <c>vgg16</c> for 224x224 RGB images.</summary>
    Vgg16,

    /// <summary>torchvision's <c>vgg16_bn</c> for 224x224 RGB images.</summary>
    Vgg16Bn,
}
