using ReproKit.Reporting;

namespace ReproKit.Tests.Reporting;

public sealed class PaperResultsTests
{
    [Theory]
    [InlineData("LMAL", "VOC-2007", 79.15)]
    [InlineData("LMAL", "VOC-2012", 72.48)]
    [InlineData("LMAL", "Caltech-256", 82.27)]
    [InlineData("Softmax", "VOC-2007", 75.27)]
    [InlineData("Softmax", "VOC-2012", 70.59)]
    [InlineData("Softmax", "Caltech-256", 77.07)]
    public void GetTop1AccuracyPercent_ReturnsPublishedValue(string model, string dataset, double expected)
    {
        Assert.Equal(expected, PaperResults.GetTop1AccuracyPercent(model, dataset));
        Assert.True(PaperResults.TryGetTop1AccuracyPercent(model, dataset, out double accuracy));
        Assert.Equal(expected, accuracy);
    }

    [Fact]
    public void Datasets_AreInTableOrder()
    {
        Assert.Equal(["VOC-2007", "VOC-2012", "Caltech-256"], PaperResults.Datasets);
        Assert.Equal(["Softmax", "LMAL"], PaperResults.Models);
    }

    [Theory]
    [InlineData("LMCL", "VOC-2007")]
    [InlineData("LMAL", "ImageNet")]
    [InlineData("lmal", "VOC-2007")]
    public void Lookup_RejectsUnreportedPairs(string model, string dataset)
    {
        Assert.False(PaperResults.TryGetTop1AccuracyPercent(model, dataset, out double accuracy));
        Assert.True(double.IsNaN(accuracy));

        ArgumentException error = Assert.Throws<ArgumentException>(() => PaperResults.GetTop1AccuracyPercent(model, dataset));
        Assert.Contains($"'{model}'", error.Message);
        Assert.Contains($"'{dataset}'", error.Message);
    }
}
