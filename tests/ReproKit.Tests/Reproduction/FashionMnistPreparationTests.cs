using Microsoft.Extensions.Logging.Abstractions;
using ReproKit.Reproduction;
using ReproKit.Tests.Data;

namespace ReproKit.Tests.Reproduction;

public sealed class FashionMnistPreparationTests
{
    public FashionMnistPreparationTests() => TorchFixture.Ensure();

    [Fact]
    public void QuickProfileDividesEmbeddedSplit()
    {
        using var data = FashionMnistPreparation.Prepare(ReproductionProfiles.Quick, null, NullLogger.Instance);

        Assert.Equal(8000, data.Train.Count);
        Assert.Equal(2000, data.Test.Count);
        Assert.Contains("Embedded", data.Description);
        Assert.Equal("Fashion-MNIST (quick)", data.DatasetLabel);
        Assert.Equal(0.0, data.Train.Images.mean().item<float>(), 3);
        Assert.Equal(1.0, data.Train.Images.std().item<float>(), 3);
    }

    [Fact]
    public void SameSeedGivesSameDivision()
    {
        using var first = FashionMnistPreparation.Prepare(ReproductionProfiles.Tiny, null, NullLogger.Instance);
        using var second = FashionMnistPreparation.Prepare(ReproductionProfiles.Tiny, null, NullLogger.Instance);

        Assert.Equal(first.Train.Labels.data<long>().ToArray(), second.Train.Labels.data<long>().ToArray());
        Assert.Equal(first.Test.Images.data<float>().ToArray(), second.Test.Images.data<float>().ToArray());
    }

    [Fact]
    public void DivisionHasNoOverlap()
    {
        var (train, test) = FashionMnistPreparation.DivideIndices(10000, 1000, 0.25, 7);

        var trainSet = train.data<long>().ToHashSet();
        var testSet = test.data<long>().ToHashSet();
        Assert.Equal(750, trainSet.Count);
        Assert.Equal(250, testSet.Count);
        Assert.Empty(trainSet.Intersect(testSet));
    }

    [Fact]
    public void EvaluationRebuildsHeldOutPart()
    {
        using var data = FashionMnistPreparation.Prepare(ReproductionProfiles.Tiny, null, NullLogger.Instance);

        using var rebuilt = FashionMnistPreparation.LoadTestSet(data.DatasetKey, null, data.Mean, data.Std);

        Assert.Equal(data.Test.Images.data<float>().ToArray(), rebuilt.Images.data<float>().ToArray());
        Assert.Equal(data.Test.Labels.data<long>().ToArray(), rebuilt.Labels.data<long>().ToArray());
    }

    [DebianDataFact]
    public void FullProfileUsesOfficialSplit()
    {
        DebianDataFactAttribute.AssertInstalled();

        using var data = FashionMnistPreparation.Prepare(ReproductionProfiles.Full, null, NullLogger.Instance);

        Assert.Equal(60000, data.Train.Count);
        Assert.Equal(10000, data.Test.Count);
        Assert.Contains("official split", data.Description);
        Assert.Equal("fashion-mnist:official-test", data.DatasetKey);
    }

    [Fact]
    public void UnknownDatasetKeyRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => FashionMnistPreparation.LoadTestSet("voc2007:test", null, 0, 1));

        Assert.Contains("'voc2007:test'", error.Message);
    }
}
