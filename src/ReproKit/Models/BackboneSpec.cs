namespace ReproKit.Models;

/// <summary>Settings that rebuild a backbone.</summary>
/// <param name="Kind">Which network.</param>
/// <param name="Width">Channel multiplier of the compact network (ignored by VGG-16), a multiple of 1/64 in (0, 2].</param>
/// <param name="EmbeddingSize">Embedding features of the compact network; VGG-16's is always 4,096.</param>
/// <param name="InputChannels">1 (greyscale) or 3 (RGB); VGG-16 takes 3.</param>
/// <param name="WeightsFile">Optional TorchSharp-format torchvision weights for VGG-16.</param>
public sealed record BackboneSpec(BackboneKind Kind, double Width = 0.25, long EmbeddingSize = 128, long InputChannels = 1, string? WeightsFile = null)
{
    /// <summary>Builds the backbone with freshly initialised (or, for VGG-16 with a weights file, loaded) weights.</summary>
    public EmbeddingBackbone Create() => Kind switch
    {
        BackboneKind.Compact => new CompactVgg16(Width, EmbeddingSize, InputChannels),
        BackboneKind.Vgg16 => new Vgg16(batchNorm: false, weightsFile: WeightsFile),
        BackboneKind.Vgg16Bn => new Vgg16(batchNorm: true, weightsFile: WeightsFile),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown backbone kind."),
    };

    /// <summary>Number of embedding features the created backbone will have.</summary>
    public long ResolvedEmbeddingSize => Kind == BackboneKind.Compact ? EmbeddingSize : Vgg16.PenultimateSize;

    /// <summary>One-line description for logs.</summary>
    public string Describe() => Kind switch
    {
        BackboneKind.Compact => FormattableString.Invariant($"compact VGG-16 (width {Width}, embedding {EmbeddingSize}, {InputChannels} input channel(s))"),
        BackboneKind.Vgg16 => "VGG-16 (torchvision vgg16, 224x224)",
        _ => "VGG-16 with BatchNorm (torchvision vgg16_bn, 224x224)",
    };
}
