using ReproKit.Heads;
using ReproKit.Models;
using static TorchSharp.torch;

namespace ReproKit.Tests.Models;

public sealed class BackboneTests
{
    public BackboneTests() => TorchFixture.Ensure();

    [Theory]
    [InlineData(28)]
    [InlineData(32)]
    [InlineData(64)]
    public void CompactEmbedsSmallImages(int size)
    {
        using var backbone = new CompactVgg16(width: 0.125, embeddingSize: 24, inputChannels: 1);
        backbone.eval();
        using var images = randn(2, 1, size, size);

        using var embedding = backbone.forward(images);

        Assert.Equal(new long[] { 2, 24 }, embedding.shape);
    }

    [Fact]
    public void CompactHasThirteenConvolutionsAndFivePools()
    {
        using var backbone = new CompactVgg16(width: 0.25);

        var modules = backbone.named_modules().Select(m => m.module).ToList();

        Assert.Equal(13, modules.Count(m => m is TorchSharp.Modules.Conv2d));
        Assert.Equal(13, modules.Count(m => m is TorchSharp.Modules.BatchNorm2d));
        Assert.Equal(5, modules.Count(m => m is TorchSharp.Modules.MaxPool2d));
    }

    [Fact]
    public void CompactWidthScalesChannels()
    {
        using var backbone = new CompactVgg16(width: 0.25);

        var shapes = backbone.state_dict();

        Assert.Equal(new long[] { 16, 1, 3, 3 }, shapes["features.0.weight"].shape);
        Assert.Equal(new long[] { 128, 128, 3, 3 }, shapes["features.40.weight"].shape);
        Assert.Equal(new long[] { 128, 128 }, shapes["embedding.0.weight"].shape);
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(4.0)]
    public void CompactRejectsInvalidWidth(double width)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CompactVgg16(width));

        Assert.Equal("width", error.ParamName);
        Assert.Contains("multiple of 1/64", error.Message);
    }

    [Fact]
    public void Vgg16HasTorchvisionNames()
    {
        using var backbone = new Vgg16();

        var names = backbone.state_dict().Keys.ToHashSet();

        // torchvision's vgg16 without classifier.6, which the head replaces.
        var expected = new[] { 0, 2, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28 }
            .SelectMany(i => new[] { $"features.{i}.weight", $"features.{i}.bias" })
            .Concat(["classifier.0.weight", "classifier.0.bias", "classifier.3.weight", "classifier.3.bias"])
            .ToHashSet();
        Assert.Equal(expected, names);
        Assert.Equal(new long[] { 4096, 25088 }, backbone.state_dict()["classifier.0.weight"].shape);
    }

    [Fact]
    public void Vgg16BnHasBatchNormNames()
    {
        using var backbone = new Vgg16(batchNorm: true);

        var names = backbone.state_dict().Keys.ToHashSet();

        Assert.Contains("features.1.running_mean", names);
        Assert.Contains("features.41.weight", names);
        Assert.DoesNotContain("classifier.6.weight", names);
    }

    [Fact]
    public void Vgg16EmbedsAt224()
    {
        using var backbone = new Vgg16();
        backbone.eval();
        using var images = randn(1, 3, 224, 224);

        using var embedding = backbone.forward(images);

        Assert.Equal(new long[] { 1, 4096 }, embedding.shape);
        Assert.Equal(138_357_544 - (4096 * 1000) - 1000, backbone.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Vgg16MissingWeightsFileNamed()
    {
        var error = Assert.Throws<FileNotFoundException>(() => new Vgg16(weightsFile: "/nonexistent/vgg16.dat"));

        Assert.Contains("/nonexistent/vgg16.dat", error.Message);
    }

    [Fact]
    public void ClassifierRejectsEmbeddingMismatch()
    {
        using var backbone = new CompactVgg16(0.125, embeddingSize: 32);
        using var head = HeadSpec.Lmal().CreateHead(64, 10);

        var error = Assert.Throws<ArgumentException>(() => new ReproKit.Models.ImageClassifier(backbone, head));

        Assert.Contains("32", error.Message);
        Assert.Contains("64", error.Message);
    }
}
