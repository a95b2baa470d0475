using ReproKit.Data;
using ReproKit.Heads;
using ReproKit.Models;
using ReproKit.Training;
using static TorchSharp.torch;

namespace ReproKit.Tests.Training;

public sealed class MemoryLayoutTests
{
    public MemoryLayoutTests() => TorchFixture.Ensure();

    [Fact]
    public void AutoResolvesPerDevice()
    {
        Assert.Equal(MemoryLayout.ChannelsLast, MemoryLayouts.Resolve(MemoryLayout.Auto, CPU));
        var cuda = new Device(TorchSharp.DeviceType.CUDA, 0);
        Assert.Equal(MemoryLayout.ChannelsFirst, MemoryLayouts.Resolve(MemoryLayout.Auto, cuda));
        Assert.Equal(MemoryLayout.ChannelsFirst, MemoryLayouts.Resolve(MemoryLayout.ChannelsFirst, CPU));
        Assert.Equal(MemoryLayout.ChannelsLast, MemoryLayouts.Resolve(MemoryLayout.ChannelsLast, cuda));
    }

    [Fact]
    public void ArrangingChangesStridesButNotValues()
    {
        using var batch = arange(2 * 3 * 4 * 5, dtype: float32).view(2, 3, 4, 5);
        using var last = MemoryLayouts.Arrange(batch, MemoryLayout.ChannelsLast);

        Assert.Equal(batch.shape, last.shape);
        Assert.Equal([60L, 1, 15, 3], last.stride());
        Assert.True(MemoryLayouts.IsChannelsLast(last));
        Assert.False(MemoryLayouts.IsChannelsLast(batch));
        Assert.True(last.eq(batch).all().item<bool>());

        using var first = MemoryLayouts.Arrange(last, MemoryLayout.ChannelsFirst);
        Assert.True(first.is_contiguous());
        Assert.True(first.eq(batch).all().item<bool>());
    }

    [Fact]
    public void TensorsThatAreNotBatchesAreLeftAlone()
    {
        using var matrix = ones(3, 4);
        Assert.Same(matrix, MemoryLayouts.Arrange(matrix, MemoryLayout.ChannelsLast));
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryLayouts.Arrange(ones(1, 2, 3, 4), MemoryLayout.Auto));
    }

    [Fact]
    public void ArrangingAModelKeepsItsParametersAndOutputs()
    {
        manual_seed(3);
        using var model = new ImageClassifier(new CompactVgg16(0.125, 8, 3), HeadSpec.Softmax().CreateHead(8, 4));
        model.eval();
        var parameters = model.parameters().ToList();
        using var input = randn(2, 3, 16, 16);
        using var before = model.forward(input, null);

        MemoryLayouts.Arrange(model, MemoryLayout.ChannelsLast);
        var convolutionWeights = model.parameters().Where(p => p.dim() == 4).ToList();
        Assert.NotEmpty(convolutionWeights);
        Assert.All(convolutionWeights, weight => Assert.True(MemoryLayouts.IsChannelsLast(weight), $"weight of shape [{string.Join(", ", weight.shape)}] is not channels last"));
        Assert.Equal(parameters.Select(p => p.Handle), model.parameters().Select(p => p.Handle));
        using var after = model.forward(MemoryLayouts.Arrange(input, MemoryLayout.ChannelsLast), null);
        Assert.True(after.allclose(before, rtol: 1e-4, atol: 1e-5), "channels-last weights changed the model's output");

        MemoryLayouts.Arrange(model, MemoryLayout.ChannelsFirst);
        Assert.All(model.parameters(), p => Assert.True(p.is_contiguous()));
    }

    [Fact]
    public void TrainingLayoutsAgree()
    {
        var channelsFirst = TrainOnce(MemoryLayout.ChannelsFirst);
        var channelsLast = TrainOnce(MemoryLayout.ChannelsLast);

        Assert.False(channelsFirst.ConvolutionSawChannelsLast, "channels-first training fed the convolutions channels-last batches");
        Assert.True(channelsLast.ConvolutionSawChannelsLast, "channels-last training fed the convolutions channels-first batches");
        Assert.True(channelsLast.Contiguous, "the trainer left channels-last weights in the model");

        // The layouts sum in different orders, so the two runs differ slightly. A few gentle steps keep the difference small.
        Assert.Equal(channelsFirst.Loss, channelsLast.Loss, 1e-3);
        Assert.Equal(channelsFirst.Weights.Length, channelsLast.Weights.Length);
        double largest = channelsFirst.Weights.Zip(channelsLast.Weights).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(largest < 1e-3, $"weights differ by up to {largest} between the layouts");
    }

    [Fact]
    public void SavedChannelsLastModelRoundTrips()
    {
        using var folder = new TemporaryDirectory();
        manual_seed(5);
        var description = new ModelDescription(new BackboneSpec(BackboneKind.Compact, 0.125, 8, 3), HeadSpec.Lmal(), ["a", "b"], [0.0, 0.0, 0.0], [1.0, 1.0, 1.0], "synthetic");
        using var model = description.CreateModel();
        using var data = Synthetic(32, 3, channels: 3);
        new Trainer(new TrainingOptions(Epochs: 1, BatchSize: 8, LearningRate: 0.05, WarmupEpochs: 0, HorizontalFlip: false, Layout: MemoryLayout.ChannelsLast), CPU).Train(model, "LMAL", data);

        // Arrange the weights channels last again, as a caller that trains step by step might leave them.
        MemoryLayouts.Arrange(model, MemoryLayout.ChannelsLast);
        model.eval();
        using var expected = model.forward(data.Images, null);
        string path = folder.Combine("model");
        description.Save(path, model);

        var (_, loaded) = ModelDescription.Load(path);
        using (loaded)
        {
            loaded.eval();
            using var actual = loaded.forward(data.Images, null);
            Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5), "the saved weights were written in channels-last order");
        }
    }

    [Fact]
    public void OptionsRejectUndefinedLayout()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new TrainingOptions(Layout: (MemoryLayout)7).Validate());
        Assert.Contains("Layout", error.Message, StringComparison.Ordinal);
        Assert.Contains("channels-last", error.Message, StringComparison.Ordinal);
    }

    private static (double Loss, float[] Weights, bool Contiguous, bool ConvolutionSawChannelsLast) TrainOnce(MemoryLayout layout)
    {
        using var data = Synthetic(64, 7, channels: 3);
        manual_seed(9);
        using var model = new ImageClassifier(new CompactVgg16(0.125, 8, 3), HeadSpec.Softmax().CreateHead(8, 2));
        var secondConvolution = model.modules().OfType<TorchSharp.Modules.Conv2d>().Skip(1).First();
        bool sawChannelsLast = false;
        var hook = secondConvolution.register_forward_hook((_, input, output) =>
        {
            sawChannelsLast = MemoryLayouts.IsChannelsLast(input);
            return output;
        });
        var trainer = new Trainer(new TrainingOptions(Epochs: 1, BatchSize: 16, LearningRate: 0.005, WarmupEpochs: 0, HorizontalFlip: false, Layout: layout), CPU);
        var history = trainer.Train(model, "Softmax", data);
        hook.remove();
        var weights = model.parameters().Where(p => p.dim() == 4).SelectMany(p => p.data<float>().ToArray()).ToArray();
        return (history[^1].TrainLoss, weights, model.parameters().All(p => p.is_contiguous()), sawChannelsLast);
    }

    private static LabeledImages Synthetic(int count, long seed, int channels)
    {
        using var generator = new Generator((ulong)seed);
        var labels = randint(0, 2, new long[] { count }, generator: generator);
        var images = randn(new long[] { count, channels, 16, 16 }, generator: generator) + (labels.to(float32).view(-1, 1, 1, 1) * 2);
        return new LabeledImages("synthetic", images, labels, ["a", "b"]);
    }
}
