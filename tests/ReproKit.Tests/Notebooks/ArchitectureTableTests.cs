using System.Globalization;
using Microsoft.Data.Analysis;
using ReproKit.Models;
using ReproKit.Notebooks;
using TorchSharp.Modules;

namespace ReproKit.Tests.Notebooks;

public sealed class ArchitectureTableTests
{
    private const int ImageSize = 28;
    private const long EmbeddingSize = 32;

    public ArchitectureTableTests() => TorchFixture.Ensure();

    private static CompactVgg16 CreateBackbone() => new(width: 0.125, embeddingSize: EmbeddingSize, inputChannels: 1);

    [Fact]
    public void Describe_ParameterTotalMatchesModule()
    {
        using var backbone = CreateBackbone();

        var rows = ArchitectureTable.Describe(backbone, ImageSize, ImageSize);

        long expected = backbone.parameters().Sum(p => p.numel());
        Assert.Equal(expected, rows.Sum(r => r.Parameters));
    }

    [Fact]
    public void Describe_RowsAreDistinctLeaves()
    {
        using var backbone = CreateBackbone();

        var rows = ArchitectureTable.Describe(backbone, ImageSize, ImageSize);

        var leaves = backbone.named_modules().Where(m => !m.module.children().Any()).Select(m => m.name).ToHashSet();
        Assert.All(rows, row => Assert.Contains(row.Name, leaves));
        Assert.Equal(rows.Count, rows.Select(r => r.Name).Distinct().Count());
        Assert.Equal(13, rows.Count(r => r.Type == nameof(Conv2d)));
        Assert.Equal(13, rows.Count(r => r.Type == nameof(BatchNorm2d)));
        Assert.Equal(5, rows.Count(r => r.Type == nameof(MaxPool2d)));
    }

    [Fact]
    public void Describe_ListsEveryLeaf()
    {
        using var backbone = CreateBackbone();

        var rows = ArchitectureTable.Describe(backbone, ImageSize, ImageSize);

        var leaves = backbone.named_modules().Where(m => !m.module.children().Any()).Select(m => m.name).Order(StringComparer.Ordinal);
        Assert.Equal(leaves, rows.Select(r => r.Name).Order(StringComparer.Ordinal));
        LayerRow pooling = Assert.Single(rows, r => r.Type == nameof(AdaptiveAvgPool2d));
        Assert.Equal("avgpool", pooling.Name);
    }

    [Fact]
    public void Describe_ListsLayersInExecutionOrder()
    {
        using var backbone = CreateBackbone();

        var names = ArchitectureTable.Describe(backbone, ImageSize, ImageSize).Select(r => r.Name).ToList();

        // named_modules lists avgpool first, but forward runs features, then avgpool, then embedding.
        var featureNames = names.TakeWhile(name => name.StartsWith("features.", StringComparison.Ordinal)).ToList();
        var rest = names.Skip(featureNames.Count).Where(name => name != "avgpool").ToList();
        Assert.NotEmpty(featureNames);
        Assert.Equal(["embedding.0", "embedding.1"], rest);
        var featureIndices = featureNames.Select(name => int.Parse(name["features.".Length..], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(featureIndices.Order(), featureIndices);
    }

    [Fact]
    public void Describe_FirstConvolutionMultiplyAdds()
    {
        using var backbone = CreateBackbone();
        var conv = (Conv2d)backbone.named_modules().Single(m => m.name == "features.0").module;

        var rows = ArchitectureTable.Describe(backbone, ImageSize, ImageSize);

        // CompactVgg16 convolves with stride 1 and padding 1, and H_out = (H + 2 * padding - kernel) / stride + 1.
        long[] weightShape = conv.weight!.shape;
        long outputHeight = ((ImageSize + (2 * 1) - weightShape[2]) / 1) + 1;
        long outputWidth = ((ImageSize + (2 * 1) - weightShape[3]) / 1) + 1;
        LayerRow first = rows[0];
        Assert.Equal("features.0", first.Name);
        Assert.Equal(nameof(Conv2d), first.Type);
        Assert.Equal($"{weightShape[0]}x{outputHeight}x{outputWidth}", first.OutputShape);
        Assert.Equal(conv.weight.numel(), first.Parameters);
        Assert.Equal(conv.weight.numel() * outputHeight * outputWidth, first.MultiplyAdds);
    }

    [Fact]
    public void Describe_EmbeddingLayerMultiplyAdds()
    {
        using var backbone = CreateBackbone();
        var linear = (Linear)backbone.named_modules().Single(m => m.name == "embedding.0").module;

        var rows = ArchitectureTable.Describe(backbone, ImageSize, ImageSize);

        LayerRow row = rows.Single(r => r.Name == "embedding.0");
        Assert.Equal(linear.in_features * linear.out_features, row.MultiplyAdds);
        Assert.Equal(EmbeddingSize.ToString(CultureInfo.InvariantCulture), row.OutputShape);
        Assert.Equal(EmbeddingSize.ToString(CultureInfo.InvariantCulture), rows[^1].OutputShape);
        Assert.All(rows.Where(r => r.Type is not (nameof(Conv2d) or nameof(Linear))), r => Assert.Equal(0, r.MultiplyAdds));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Describe_RestoresTrainingMode(bool training)
    {
        using var backbone = CreateBackbone();
        backbone.train(training);

        ArchitectureTable.Describe(backbone, ImageSize, ImageSize);

        Assert.Equal(training, backbone.training);
    }

    [Fact]
    public void Describe_InvalidSizeRejected()
    {
        using var backbone = CreateBackbone();

        Assert.Throws<ArgumentOutOfRangeException>(() => ArchitectureTable.Describe(backbone, 0, ImageSize));
        Assert.Throws<ArgumentOutOfRangeException>(() => ArchitectureTable.Describe(backbone, ImageSize, 0));
    }

    [Fact]
    public void ToDataFrame_AppendsTotalRow()
    {
        using var backbone = CreateBackbone();
        var rows = ArchitectureTable.Describe(backbone, ImageSize, ImageSize);

        DataFrame frame = ArchitectureTable.ToDataFrame(rows);

        Assert.Equal(rows.Count + 1, frame.Rows.Count);
        Assert.Equal(["layer", "type", "output shape", "parameters", "multiply-adds"], frame.Columns.Select(c => c.Name));
        long last = frame.Rows.Count - 1;
        Assert.Equal("total", frame.Columns["layer"][last]);
        Assert.Equal(rows.Sum(r => r.Parameters), frame.Columns["parameters"][last]);
        Assert.Equal(rows.Sum(r => r.MultiplyAdds), frame.Columns["multiply-adds"][last]);
        Assert.Equal(rows[0].Name, frame.Columns["layer"][0]);
        Assert.Equal(rows[0].MultiplyAdds, frame.Columns["multiply-adds"][0]);
    }
}
