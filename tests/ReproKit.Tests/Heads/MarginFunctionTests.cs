using ReproKit.Heads;
using static TorchSharp.torch;

namespace ReproKit.Tests.Heads;

public sealed class MarginFunctionTests
{
    private static double Degrees(double d) => d * Math.PI / 180;

    public MarginFunctionTests() => TorchFixture.Ensure();

    private static double[] Apply(IMarginFunction function, double[] cosTheta, ScalarType dtype = ScalarType.Float64)
    {
        using var input = tensor(cosTheta).to(dtype);
        using var output = function.TargetLogit(input).to(float64);
        return output.data<double>().ToArray();
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(30.0)]
    [InlineData(60.0)]
    [InlineData(90.0)]
    [InlineData(140.0)]
    public void AngularMarginMatchesCosOfSum(double thetaDegrees)
    {
        var value = Apply(new AngularMargin(0.5), [Math.Cos(Degrees(thetaDegrees))])[0];

        // At theta = 0 the guarded sin(theta) is 1e-6 instead of 0, an error below 5e-7.
        Assert.Equal(Math.Cos(Degrees(thetaDegrees) + 0.5), value, 1e-6);
    }

    [Fact]
    public void AngularMarginPastLimitJoinsContinuously()
    {
        double m = 0.5;
        double limit = Math.PI - m;
        var values = Apply(new AngularMargin(m), [Math.Cos(limit - 1e-7), Math.Cos(limit + 1e-7), Math.Cos(Math.PI)]);

        Assert.Equal(-1.0, values[0], 1e-6);
        Assert.Equal(-1.0, values[1], 1e-6);
        Assert.Equal(-1.0 - (1.0 - Math.Cos(m)), values[2], 1e-9);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(Math.PI / 2)]
    public void AngularMarginNonIncreasingOnWholeRange(double m)
    {
        var thetas = Enumerable.Range(0, 3601).Select(i => Math.PI * i / 3600).ToArray();
        var values = Apply(new AngularMargin(m), thetas.Select(Math.Cos).ToArray());

        for (int i = 1; i < values.Length; i++)
        {
            Assert.True(values[i] <= values[i - 1] + 1e-12, $"target logit rises from {values[i - 1]} to {values[i]} at theta = {thetas[i]} rad");
        }
    }

    [Fact]
    public void CosineMarginSubtractsMargin()
    {
        var values = Apply(new CosineMargin(0.35), [1.0, 0.5, -1.0]);

        Assert.Equal(0.65, values[0], 1e-12);
        Assert.Equal(0.15, values[1], 1e-12);
        Assert.Equal(-1.35, values[2], 1e-12);
    }

    [Theory]
    [InlineData(1.35, 0.0, 0.0, 50.0)]
    [InlineData(1.0, 0.3, 0.2, 70.0)]
    [InlineData(1.0, 0.5, 0.0, 10.0)]
    [InlineData(2.0, 0.1, 0.1, 45.0)]
    public void CombinedMarginMatchesFormula(double m1, double m2, double m3, double thetaDegrees)
    {
        double theta = Degrees(thetaDegrees);
        var value = Apply(new CombinedMargin(m1, m2, m3), [Math.Cos(theta)])[0];

        Assert.Equal(Math.Cos((m1 * theta) + m2) - m3, value, 1e-9);
    }

    [Fact]
    public void CombinedWithArcMarginOnlyEqualsAngularMargin()
    {
        var cosines = Enumerable.Range(0, 401).Select(i => -1.0 + (i / 200.0)).ToArray();

        var combined = Apply(new CombinedMargin(1.0, 0.5, 0.0), cosines);
        var angular = Apply(new AngularMargin(0.5), cosines);

        for (int i = 0; i < cosines.Length; i++)
        {
            Assert.Equal(angular[i], combined[i], 1e-6);
        }
    }

    [Fact]
    public void SphereFaceNonIncreasingOnWholeRange()
    {
        var values = Apply(new CombinedMargin(1.35, 0, 0), Enumerable.Range(0, 1801).Select(i => Math.Cos(Math.PI * i / 1800)).ToArray());

        for (int i = 1; i < values.Length; i++)
        {
            Assert.True(values[i] <= values[i - 1] + 1e-9, $"SphereFace target logit rises at index {i}");
        }
    }

    public static TheoryData<string> AllFunctions => ["softmax", "lmcl", "lmal", "sphereface", "combined"];

    private static IMarginFunction Create(string name) => name switch
    {
        "softmax" => new PlainCosine(),
        "lmcl" => new CosineMargin(0.35),
        "lmal" => new AngularMargin(0.5),
        "sphereface" => new CombinedMargin(1.35, 0, 0),
        _ => new CombinedMargin(1.0, 0.3, 0.2),
    };

    [Theory]
    [MemberData(nameof(AllFunctions))]
    public void GradientFiniteAtCosineBounds(string name)
    {
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            using var input = tensor(new[] { 1.0, -1.0, 0.0, 1.0 - 1e-7, -1.0 + 1e-7 }).to(dtype).requires_grad_();
            using var output = Create(name).TargetLogit(input);
            output.sum().backward();

            var values = output.to(float64).data<double>().ToArray();
            var gradients = input.grad!.to(float64).data<double>().ToArray();
            Assert.All(values, v => Assert.True(double.IsFinite(v), $"{name} {dtype}: value {v}"));
            Assert.All(gradients, g => Assert.True(double.IsFinite(g), $"{name} {dtype}: gradient {g}"));
        }
    }

    [Theory]
    [MemberData(nameof(AllFunctions))]
    public void GradientMatchesFiniteDifference(string name)
    {
        var function = Create(name);
        var points = new[] { 0.95, 0.7, 0.3, -0.2, -0.6 };
        using var input = tensor(points, float64).requires_grad_();
        using var output = function.TargetLogit(input);
        output.sum().backward();
        var analytic = input.grad!.data<double>().ToArray();

        const double h = 1e-6;
        for (int i = 0; i < points.Length; i++)
        {
            double numeric = (Apply(function, [points[i] + h])[0] - Apply(function, [points[i] - h])[0]) / (2 * h);
            Assert.Equal(numeric, analytic[i], 1e-5);
        }
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.6)]
    [InlineData(double.NaN)]
    public void AngularMarginRejectsOutOfRange(double m)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AngularMargin(m));

        Assert.Equal("marginRadians", error.ParamName);
        Assert.Contains("[0, 1.57", error.Message);
    }

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    public void CosineMarginRejectsOutOfRange(double m)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CosineMargin(m));

        Assert.Equal("margin", error.ParamName);
        Assert.Contains("[0, 1]", error.Message);
    }

    [Fact]
    public void CombinedMarginRejectsM1BelowOne()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CombinedMargin(0.5, 0, 0));

        Assert.Equal("multiplicative", error.ParamName);
        Assert.Contains("0.5", error.Message);
    }
}
