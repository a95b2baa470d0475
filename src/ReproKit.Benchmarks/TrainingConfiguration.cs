using System.Globalization;
using ReproKit.Heads;
using ReproKit.Models;

namespace ReproKit.Benchmarks;

/// <summary>The networks of the training suite.</summary>
internal enum TrainingNetwork
{
    /// <summary><see cref="CompactVgg16"/> with 3 input channels and a 128-feature embedding.</summary>
    Compact,

    /// <summary><see cref="Vgg16"/>, torchvision's vgg16 without BatchNorm, 224x224 input.</summary>
    Vgg16,
}

/// <summary>One training-step measurement: network, input size, head and batch.</summary>
/// <param name="Network">Which network.</param>
/// <param name="Width">Channel multiplier of the compact network; ignored by VGG-16.</param>
/// <param name="ImageSize">Side of the square RGB input in pixels.</param>
/// <param name="Head">The head and its settings.</param>
/// <param name="Classes">Number of classes the head scores.</param>
/// <param name="BatchSize">Images per step.</param>
internal sealed record TrainingConfiguration(TrainingNetwork Network, double Width, int ImageSize, HeadSpec Head, int Classes, int BatchSize)
{
    /// <summary>
    /// SGD learning rate of every measurement on both sides. It does not change the work of a step. It is
    /// small so that a network trained on one repeated random batch does not diverge, because the kit's
    /// trainer stops on a non-finite loss.
    /// </summary>
    public const double LearningRate = 1e-3;

    /// <summary>Embedding features of the compact network, the kit's default.</summary>
    public const long CompactEmbeddingSize = 128;

    /// <summary>The compact network at 32x32 with 10 classes and batch 128.</summary>
    public static TrainingConfiguration Compact(double width, HeadSpec head) => new(TrainingNetwork.Compact, width, 32, head, 10, 128);

    /// <summary>VGG-16 at 224x224 with batch 8 and 257 classes, as many as Caltech-256 has.</summary>
    public static TrainingConfiguration Vgg224(HeadSpec head) => new(TrainingNetwork.Vgg16, 1.0, 224, head, 257, 8);

    /// <summary>The network's name in tables, for example <c>compact VGG-16 w=0.25, 32x32</c>.</summary>
    public string NetworkName => Network == TrainingNetwork.Compact
        ? string.Create(CultureInfo.InvariantCulture, $"compact VGG-16 w={Width}, {ImageSize}x{ImageSize}")
        : $"VGG-16, {ImageSize}x{ImageSize}";

    /// <summary>The kit's model for this configuration, freshly initialised.</summary>
    public ImageClassifier CreateKitModel()
    {
        EmbeddingBackbone backbone = Network == TrainingNetwork.Compact
            ? new CompactVgg16(Width, CompactEmbeddingSize, inputChannels: 3)
            : new Vgg16();
        return new ImageClassifier(backbone, Head.CreateHead(backbone.EmbeddingSize, Classes));
    }
}
