using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReproKit.Models;

/// <summary>
/// VGG-16 for small images (28 to 64 pixels): the same 13 3x3 convolutions and 5 max-poolings as
/// VGG-16, each convolution followed by BatchNorm and ReLU (torchvision's <c>vgg16_bn</c> layout and
/// <c>features.N</c> names), every channel count multiplied by <see cref="Width"/>, then global average
/// pooling and an embedding layer (linear, then BatchNorm1d). Pooling rounds up, so a 28x28 input
/// shrinks to 1x1 instead of vanishing.
/// </summary>
public sealed class CompactVgg16 : EmbeddingBackbone
{
    // VGG-16's configuration "D": output channels of each convolution, 0 for a 2x2 max-pooling.
    private static readonly int[] Configuration = [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0];

    private readonly Sequential features;
    private readonly AdaptiveAvgPool2d avgpool;
    private readonly Sequential embedding;

    /// <summary>
    /// Creates the network. <paramref name="width"/> multiplies every channel count and must be a
    /// multiple of 1/64 in (0, 2] so that each count stays whole (0.25 gives 16 to 128 channels);
    /// <paramref name="embeddingSize"/> is the number of output features (default 128);
    /// <paramref name="inputChannels"/> is 1 for greyscale or 3 for RGB.
    /// </summary>
    public CompactVgg16(double width = 0.25, long embeddingSize = 128, long inputChannels = 1) : base(nameof(CompactVgg16))
    {
        ValidateWidth(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(embeddingSize);
        if (inputChannels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(inputChannels), inputChannels, "Input channels must be 1 (greyscale) or 3 (RGB).");
        }

        Width = width;
        EmbeddingSize = embeddingSize;
        InputChannels = inputChannels;

        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        long channels = inputChannels;
        foreach (var baseChannels in Configuration)
        {
            var index = layers.Count.ToString(CultureInfo.InvariantCulture);
            if (baseChannels == 0)
            {
                layers.Add((index, nn.MaxPool2d(kernel_size: 2, stride: 2, ceil_mode: true)));
                continue;
            }

            long outChannels = (long)Math.Round(baseChannels * width);
            layers.Add((index, nn.Conv2d(channels, outChannels, kernel_size: 3, padding: 1, bias: false)));
            layers.Add(((layers.Count).ToString(CultureInfo.InvariantCulture), nn.BatchNorm2d(outChannels)));
            layers.Add(((layers.Count).ToString(CultureInfo.InvariantCulture), nn.ReLU(inplace: true)));
            channels = outChannels;
        }

        features = nn.Sequential(layers);
        avgpool = nn.AdaptiveAvgPool2d(1);
        embedding = nn.Sequential(
            ("0", nn.Linear(channels, embeddingSize, hasBias: false)),
            ("1", nn.BatchNorm1d(embeddingSize)));
        RegisterComponents();

        foreach (var (_, module) in named_modules())
        {
            if (module is Conv2d conv)
            {
                nn.init.kaiming_normal_(conv.weight, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
            }
        }
    }

    /// <summary>The channel multiplier.</summary>
    public double Width { get; }

    /// <inheritdoc />
    public override long EmbeddingSize { get; }

    /// <inheritdoc />
    public override long InputChannels { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var x = features.forward(input);
        x = avgpool.call(x).flatten(1); // call, not forward: forward hooks (the notebooks' layer table) run only through call
        return embedding.forward(x);
    }

    /// <summary>Throws unless <paramref name="width"/> is a multiple of 1/64 in (0, 2].</summary>
    public static void ValidateWidth(double width)
    {
        double firstBlock = 64 * width;
        if (!double.IsFinite(width) || width <= 0 || width > 2 || Math.Abs(firstBlock - Math.Round(firstBlock)) > 1e-9)
        {
            throw new ArgumentOutOfRangeException(
                nameof(width),
                width,
                string.Create(CultureInfo.InvariantCulture, $"The width multiplier is {width}, but it must be a multiple of 1/64 in (0, 2] so that every channel count is whole, for example 0.25, 0.5 or 1."));
        }
    }
}
