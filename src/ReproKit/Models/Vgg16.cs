using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReproKit.Models;

/// <summary>
/// VGG-16 for 224x224 input exactly as torchvision defines <c>vgg16</c> and <c>vgg16_bn</c>: 13 3x3
/// convolutions in <c>features</c>, a 7x7 adaptive average pool, and the first two fully connected
/// layers of <c>classifier</c> (indices 0 to 5). torchvision's last layer, <c>classifier.6</c>, is the
/// part a <see cref="Heads.ClassificationHead"/> replaces, so the embedding is the 4,096-feature output
/// of <c>classifier.5</c>. Parameter names match torchvision's, so its weights load without renaming.
/// </summary>
public sealed class Vgg16 : EmbeddingBackbone
{
    /// <summary>Number of features of the penultimate layer.</summary>
    public const long PenultimateSize = 4096;

    private readonly nn.Module<Tensor, Tensor> features;
    private readonly nn.Module<Tensor, Tensor> avgpool;
    private readonly Sequential classifier;
    private readonly object _torchvisionModel;

    /// <summary>
    /// Builds the network with TorchVision's <c>vgg16</c> (or <c>vgg16_bn</c>) and drops its last layer.
    /// <paramref name="weightsFile"/>, when given, is a TorchSharp-format state dict of torchvision's
    /// VGG-16 (for example ImageNet weights written by data-scripts/export-vgg16-weights.py); its
    /// <c>classifier.6</c> entries are skipped.
    /// </summary>
    public Vgg16(bool batchNorm = false, float dropout = 0.5f, string? weightsFile = null) : base(batchNorm ? "vgg16_bn" : "vgg16")
    {
        if (weightsFile is not null && !File.Exists(weightsFile))
        {
            throw new FileNotFoundException($"VGG-16 weights file '{weightsFile}' was not found. Pass the path of a TorchSharp-format torchvision VGG-16 state dict, or omit it to start from random weights.", weightsFile);
        }

        if (weightsFile is not null)
        {
            // TorchSharp's loader reports a truncated file without naming it, or not at all inside skipped entries.
            StateDictFile.ReadLayout(weightsFile);
        }

        var reference = batchNorm
            ? torchvision.models.vgg16_bn(dropout: dropout, weights_file: weightsFile, skipfc: true)
            : torchvision.models.vgg16(dropout: dropout, weights_file: weightsFile, skipfc: true);
        var parts = reference.named_children().ToDictionary(child => child.name, child => child.module);

        features = (nn.Module<Tensor, Tensor>)parts["features"];
        avgpool = (nn.Module<Tensor, Tensor>)parts["avgpool"];

        // Keep classifier.0 to classifier.5 under their torchvision indices.
        var firstSixLayers = ((Sequential)parts["classifier"]).named_children().Take(6)
            .Select(child => (child.name, (nn.Module<Tensor, Tensor>)child.module))
            .ToArray();
        classifier = nn.Sequential(firstSixLayers);

        BatchNorm = batchNorm;
        RegisterComponents();

        // torchvision's VGG disposes its children when it is disposed, so it must outlive this module.
        // The field's type keeps RegisterComponents from adding it (and its classifier.6) as a submodule.
        _torchvisionModel = reference;
    }

    /// <summary>Whether this is <c>vgg16_bn</c> (BatchNorm after each convolution).</summary>
    public bool BatchNorm { get; }

    /// <inheritdoc />
    public override long EmbeddingSize => PenultimateSize;

    /// <inheritdoc />
    public override long InputChannels => 3;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var x = features.forward(input);
        x = avgpool.call(x).flatten(1); // call, not forward: forward hooks (the notebooks' layer table) run only through call
        return classifier.forward(x);
    }
}
