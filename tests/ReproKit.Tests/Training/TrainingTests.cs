using ReproKit.Data;
using ReproKit.Heads;
using ReproKit.Models;
using ReproKit.Training;
using static TorchSharp.torch;

namespace ReproKit.Tests.Training;

public sealed class TrainingTests
{
    public TrainingTests() => TorchFixture.Ensure();

    /// <summary>Two classes that differ in which half of the image is bright, plus noise.</summary>
    private static LabeledImages Synthetic(int count, long seed)
    {
        using var generator = new Generator((ulong)seed);
        var labels = randint(0, 2, new long[] { count }, generator: generator);
        var images = randn(new long[] { count, 1, 16, 16 }, generator: generator) * 0.5f;
        using var pattern = ones(1, 1, 16, 16);
        pattern.narrow(3, 8, 8).fill_(-1);
        using var sign = (labels.to(float32) * 2 - 1).view(-1, 1, 1, 1);
        return new LabeledImages("synthetic", images + (sign * pattern * 1.5f), labels, ["left", "right"]);
    }

    private static (IReadOnlyList<EpochMetrics> History, float[] Weights) TrainOnce(HeadSpec head, long seed, int epochs = 6)
    {
        using var data = Synthetic(96, 11);
        manual_seed(seed);
        using var model = new ImageClassifier(new CompactVgg16(0.125, 8, 1), head.CreateHead(8, 2));
        var trainer = new Trainer(new TrainingOptions(Epochs: epochs, BatchSize: 16, LearningRate: 0.05, WarmupEpochs: 0, Seed: seed, HorizontalFlip: false), CPU);
        var history = trainer.Train(model, head.DisplayName, data, data);
        return (history, model.parameters().First().data<float>().ToArray());
    }

    [Fact]
    public void SameSeedGivesSameModel()
    {
        var first = TrainOnce(HeadSpec.Lmal(), 4);
        var second = TrainOnce(HeadSpec.Lmal(), 4);

        // Data order and initial weights are identical, but libtorch's multi-threaded CPU kernels may
        // sum in a different order, so the weights are compared to a tolerance.
        Assert.Equal(first.Weights.Length, second.Weights.Length);
        for (int i = 0; i < first.Weights.Length; i++)
        {
            Assert.Equal(first.Weights[i], second.Weights[i], 1e-4f);
        }

        Assert.Equal(first.History[^1].TrainLoss, second.History[^1].TrainLoss, 1e-4);
    }

    [Fact]
    public void DifferentSeedGivesDifferentModel()
    {
        var first = TrainOnce(HeadSpec.Softmax(), 4);
        var second = TrainOnce(HeadSpec.Softmax(), 5);

        Assert.True(first.Weights.Zip(second.Weights).Max(p => Math.Abs(p.First - p.Second)) > 1e-3, "different seeds gave the same weights");
    }

    [Theory]
    [InlineData(HeadKind.Softmax)]
    [InlineData(HeadKind.Lmcl)]
    [InlineData(HeadKind.Lmal)]
    public void LossFallsOnLearnableData(HeadKind kind)
    {
        var (history, _) = TrainOnce(new HeadSpec(kind, 16, AngularMarginRadians: kind == HeadKind.Lmal ? 0.3 : 0, CosineMargin: kind == HeadKind.Lmcl ? 0.2 : 0), 2, epochs: 12);

        Assert.Equal(12, history.Count);
        Assert.True(history[^1].TrainLoss < history[0].TrainLoss, $"loss went from {history[0].TrainLoss} to {history[^1].TrainLoss}");
        Assert.True(history[^1].TestAccuracy > 0.8, $"accuracy {history[^1].TestAccuracy}");
    }

    [Fact]
    public void ScheduleWarmsUpThenDecays()
    {
        Assert.Equal(0.1 / 10, LearningRateSchedule.At(0, 100, 10, 0.1), 12);
        Assert.Equal(0.1, LearningRateSchedule.At(9, 100, 10, 0.1), 12);
        Assert.Equal(0.05, LearningRateSchedule.At(55, 100, 10, 0.1), 12);
        Assert.Equal(0.1 * 0.5 * (1 + Math.Cos(Math.PI * 89 / 90)), LearningRateSchedule.At(99, 100, 10, 0.1), 12);
    }

    [Theory]
    [InlineData(0, 128, 0.1, "Epochs")]
    [InlineData(2, 0, 0.1, "BatchSize")]
    [InlineData(2, 128, -1.0, "LearningRate")]
    public void InvalidOptionsNamed(int epochs, int batchSize, double learningRate, string parameter)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions(epochs, batchSize, learningRate).Validate());

        Assert.Equal(parameter, error.ParamName);
        Assert.Contains(parameter, error.Message);
    }

    [Fact]
    public void EvaluatorCountsConfusion()
    {
        using var data = Synthetic(40, 3);
        manual_seed(1);
        using var model = new ImageClassifier(new CompactVgg16(0.125, 8, 1), HeadSpec.Softmax().CreateHead(8, 2));

        var result = ReproKit.Evaluation.Evaluator.Evaluate(model, data, 16, CPU);

        Assert.Equal(40, result.ConfusionMatrix.Sum(row => row.Sum()));
        Assert.Equal((double)(result.ConfusionMatrix[0][0] + result.ConfusionMatrix[1][1]) / 40, result.Top1, 12);
        Assert.Equal(1.0, result.Top5);   // two classes: the label is always among the top five
        Assert.Equal(data.CountPerClass(), result.ConfusionMatrix.Select(row => row.Sum()).ToArray());
    }

    [Fact]
    public void CudaRequestWithoutGpuRejected()
    {
        if (cuda.is_available())
        {
            return;   // NOTE: only meaningful on a machine without a GPU, such as CI.
        }

        var error = Assert.Throws<ArgumentException>(() => DeviceSelection.Resolve("cuda"));

        Assert.Contains("no CUDA device", error.Message);
    }

    [Fact]
    public void UnknownDeviceRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => DeviceSelection.Resolve("tpu"));

        Assert.Contains("'tpu'", error.Message);
    }
}
