using ReproKit.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace ReproKit.Tests.Heads;

public sealed class HeadModuleTests
{
    public HeadModuleTests() => TorchFixture.Ensure();

    /// <summary>A head with class weights set so that embedding [cos a, sin a] makes angle a with class 0.</summary>
    private static NormalizedMarginHead TwoDimensionalHead(IMarginFunction function, double scale)
    {
        var head = new NormalizedMarginHead(2, 3, scale, function);
        using (no_grad())
        {
            head.Weight.copy_(tensor(new double[,] { { 1, 0 }, { 0, 1 }, { -1, 0 } }).to(float32));
        }

        return head;
    }

    private static Tensor EmbeddingAt(double degrees) =>
        tensor(new[,] { { (float)Math.Cos(degrees * Math.PI / 180), (float)Math.Sin(degrees * Math.PI / 180) } });

    [Fact]
    public void LmalTrainingLogitIsScaledCosOfSum()
    {
        using var head = TwoDimensionalHead(new AngularMargin(0.5), 16);
        head.train();
        using var embedding = EmbeddingAt(60) * 3.7f;   // the norm must not matter
        using var labels = tensor(new long[] { 0 });

        var logits = head.forward(embedding, labels).data<float>().ToArray();

        Assert.Equal(16 * Math.Cos((60 * Math.PI / 180) + 0.5), logits[0], 4);
        Assert.Equal(16 * Math.Cos(30 * Math.PI / 180), logits[1], 4);
        Assert.Equal(16 * Math.Cos(120 * Math.PI / 180), logits[2], 4);
    }

    [Fact]
    public void LmclTrainingLogitSubtractsMargin()
    {
        using var head = TwoDimensionalHead(new CosineMargin(0.35), 30);
        head.train();
        using var labels = tensor(new long[] { 1 });

        var logits = head.forward(EmbeddingAt(45), labels).data<float>().ToArray();

        Assert.Equal(30 * (Math.Cos(45 * Math.PI / 180) - 0.35), logits[1], 4);
        Assert.Equal(30 * Math.Cos(45 * Math.PI / 180), logits[0], 4);
    }

    [Fact]
    public void EvaluationScoresWithoutMargin()
    {
        using var head = TwoDimensionalHead(new AngularMargin(0.5), 16);
        head.eval();
        using var labels = tensor(new long[] { 0 });

        var withLabels = head.forward(EmbeddingAt(60), labels).data<float>().ToArray();
        var withoutLabels = head.forward(EmbeddingAt(60), null).data<float>().ToArray();

        Assert.Equal(16 * Math.Cos(60 * Math.PI / 180), withLabels[0], 4);
        Assert.Equal(withLabels, withoutLabels);
    }

    [Fact]
    public void LossMatchesHandComputedCrossEntropy()
    {
        using var head = TwoDimensionalHead(new AngularMargin(0.5), 10);
        head.train();
        using var labels = tensor(new long[] { 0 });

        using var loss = ClassificationHead.Loss(head.forward(EmbeddingAt(40), labels), labels);

        double target = 10 * Math.Cos((40 * Math.PI / 180) + 0.5);
        double other1 = 10 * Math.Cos(50 * Math.PI / 180);
        double other2 = 10 * Math.Cos(140 * Math.PI / 180);
        double expected = -target + Math.Log(Math.Exp(target) + Math.Exp(other1) + Math.Exp(other2));
        Assert.Equal(expected, loss.item<float>(), 4);
    }

    [Theory]
    [InlineData(HeadKind.Softmax)]
    [InlineData(HeadKind.Lmcl)]
    [InlineData(HeadKind.Lmal)]
    [InlineData(HeadKind.Combined)]
    public void HeadWeightsChangeAfterOneStep(HeadKind kind)
    {
        manual_seed(3);
        var spec = new HeadSpec(kind, 16, MultiplicativeMargin: kind == HeadKind.Combined ? 1.2 : 1, AngularMarginRadians: 0.3, CosineMargin: 0.1);
        using var head = spec.CreateHead(8, 4);
        head.train();
        var before = head.parameters().Select(p => p.detach().clone()).ToList();
        using var optimizer = optim.SGD(head.parameters(), 0.5);

        using var embedding = randn(16, 8);
        using var labels = randint(0, 4, new long[] { 16 });
        ClassificationHead.Loss(head.forward(embedding, labels), labels).backward();
        optimizer.step();

        var after = head.parameters().ToList();
        Assert.NotEmpty(after);
        for (int i = 0; i < after.Count; i++)
        {
            Assert.False(before[i].allclose(after[i]), $"parameter {i} of {kind} did not change");
        }
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void LossFiniteWhenEmbeddingEqualsClassWeight(ScalarType dtype)
    {
        using var head = new NormalizedMarginHead(2, 3, 64, new AngularMargin(0.5));
        head.to(dtype);
        using (no_grad())
        {
            head.Weight.copy_(tensor(new double[,] { { 1, 0 }, { 0, 1 }, { -1, 0 } }));
        }

        head.train();
        using var embedding = tensor(new double[,] { { 1, 0 }, { -1, 0 } }).to(dtype).requires_grad_();
        using var labels = tensor(new long[] { 0, 0 });   // cos = 1 for the first, cos = -1 for the second

        using var loss = ClassificationHead.Loss(head.forward(embedding, labels), labels);
        loss.backward();

        Assert.True(double.IsFinite(loss.to(float64).item<double>()));
        Assert.All(embedding.grad!.to(float64).data<double>().ToArray(), g => Assert.True(double.IsFinite(g)));
        Assert.All(head.Weight.grad!.to(float64).data<double>().ToArray(), g => Assert.True(double.IsFinite(g)));
    }

    [Fact]
    public void HeadGradientMatchesFiniteDifference()
    {
        manual_seed(5);
        using var head = new NormalizedMarginHead(4, 3, 8, new AngularMargin(0.5));
        head.to(float64);
        head.train();
        using var embedding = randn(new long[] { 5, 4 }, dtype: float64).requires_grad_();
        using var labels = tensor(new long[] { 0, 1, 2, 1, 0 });

        ClassificationHead.Loss(head.forward(embedding, labels), labels).backward();
        var analytic = embedding.grad!.data<double>().ToArray();

        const double h = 1e-6;
        var values = embedding.detach().clone();
        for (int i = 0; i < analytic.Length; i++)
        {
            double Loss(double delta)
            {
                using var shifted = values.clone();
                using (no_grad())
                {
                    shifted.view(-1)[i] += delta;
                }

                return ClassificationHead.Loss(head.forward(shifted, labels), labels).item<double>();
            }

            Assert.Equal((Loss(h) - Loss(-h)) / (2 * h), analytic[i], 6);
        }
    }

    [Fact]
    public void ScaleMustBePositive()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => HeadSpec.Lmal(scale: 0).CreateHead(8, 4));

        Assert.Equal("Scale", error.ParamName);
        Assert.Contains("scale s is 0", error.Message);
    }

    [Fact]
    public void FewerThanTwoClassesRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => HeadSpec.Lmcl().CreateHead(8, 1));

        Assert.Equal("classCount", error.ParamName);
        Assert.Contains("at least 2", error.Message);
    }

    [Fact]
    public void EmbeddingSizeMismatchRejected()
    {
        using var head = HeadSpec.Lmal().CreateHead(8, 4);
        using var embedding = randn(2, 6);

        var error = Assert.Throws<ArgumentException>(() => head.forward(embedding, null));

        Assert.Contains("[batch, 8]", error.Message);
        Assert.Contains("[2, 6]", error.Message);
    }
}
