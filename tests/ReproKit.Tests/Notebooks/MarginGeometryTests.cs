using ReproKit.Heads;
using ReproKit.Notebooks;

namespace ReproKit.Tests.Notebooks;

public sealed class MarginGeometryTests
{
    public MarginGeometryTests() => TorchFixture.Ensure();

    private static double Radians(double degrees) => degrees * Math.PI / 180;

    [Theory]
    [InlineData(30.0, 120.0)]
    [InlineData(0.0, 180.0)]
    [InlineData(10.0, 11.0)]
    public void Compute_SoftmaxBoundariesAtMidpoint(double class1Degrees, double class2Degrees)
    {
        var geometry = MarginGeometry.Compute(class1Degrees, class2Degrees, [new PlainCosine()]);

        double midpoint = Radians((class1Degrees + class2Degrees) / 2);
        LossBoundaries softmax = Assert.Single(geometry.Losses);
        Assert.Equal(midpoint, softmax.Class1Boundary, 1e-9);
        Assert.Equal(midpoint, softmax.Class2Boundary, 1e-9);
        Assert.Equal(0.0, softmax.GapRadians, 1e-9);
    }

    [Fact]
    public void Compute_ReturnsWeightAnglesInRadians()
    {
        var geometry = MarginGeometry.Compute(30, 120, [new PlainCosine()]);

        Assert.Equal(Radians(30), geometry.Class1Angle, 1e-12);
        Assert.Equal(Radians(120), geometry.Class2Angle, 1e-12);
    }

    [Fact]
    public void Compute_KeepsFunctionNamesInOrder()
    {
        IMarginFunction[] functions = [new PlainCosine(), new CosineMargin(0.35), new AngularMargin(0.5)];

        var geometry = MarginGeometry.Compute(30, 120, functions);

        Assert.Equal(functions.Select(f => f.Name), geometry.Losses.Select(l => l.Name));
    }

    private static IMarginFunction CreateMargin(string kind) => kind switch
    {
        "LMCL" => new CosineMargin(0.35),
        "LMAL" => new AngularMargin(0.5),
        _ => throw new ArgumentException($"Unknown margin kind '{kind}'.", nameof(kind)),
    };

    [Theory]
    [InlineData("LMCL")]
    [InlineData("LMAL")]
    public void Compute_MarginBoundariesSymmetric(string kind)
    {
        IMarginFunction function = CreateMargin(kind);
        double a1 = Radians(30), a2 = Radians(120), midpoint = (a1 + a2) / 2;

        var boundaries = Assert.Single(MarginGeometry.Compute(30, 120, [function]).Losses);

        Assert.True(a1 < boundaries.Class1Boundary, $"{kind}: class 1 boundary {boundaries.Class1Boundary} is not past W1 at {a1}");
        Assert.True(boundaries.Class1Boundary < midpoint, $"{kind}: class 1 boundary {boundaries.Class1Boundary} is not before the midpoint {midpoint}");
        Assert.True(midpoint < boundaries.Class2Boundary, $"{kind}: class 2 boundary {boundaries.Class2Boundary} is not past the midpoint {midpoint}");
        Assert.True(boundaries.Class2Boundary < a2, $"{kind}: class 2 boundary {boundaries.Class2Boundary} is not before W2 at {a2}");
        Assert.Equal(midpoint - boundaries.Class1Boundary, boundaries.Class2Boundary - midpoint, 1e-9);
        Assert.True(boundaries.GapRadians > 0, $"{kind}: gap {boundaries.GapRadians} is not positive");
    }

    [Theory]
    [InlineData(30.0, 120.0, 0.5)]
    [InlineData(0.0, 180.0, 0.5)]
    [InlineData(45.0, 60.0, 0.1)]
    [InlineData(10.0, 170.0, 1.5)]
    public void Compute_AngularMarginMatchesClosedForm(double class1Degrees, double class2Degrees, double margin)
    {
        double a1 = Radians(class1Degrees), a2 = Radians(class2Degrees);

        var boundaries = Assert.Single(MarginGeometry.Compute(class1Degrees, class2Degrees, [new AngularMargin(margin)]).Losses);

        // Class 1 wins while cos(theta1 + m) > cos(theta2), that is while (phi - a1) + m < a2 - phi.
        Assert.Equal((a1 + a2 - margin) / 2, boundaries.Class1Boundary, 1e-6);
        Assert.Equal((a1 + a2 + margin) / 2, boundaries.Class2Boundary, 1e-6);
        Assert.Equal(margin, boundaries.GapRadians, 1e-6);
    }

    [Theory]
    [InlineData(30.0, 120.0, 0.35)]
    [InlineData(0.0, 180.0, 0.35)]
    [InlineData(20.0, 80.0, 0.1)]
    public void Compute_CosineMarginMeetsEquation(double class1Degrees, double class2Degrees, double margin)
    {
        double a1 = Radians(class1Degrees), a2 = Radians(class2Degrees);

        var boundaries = Assert.Single(MarginGeometry.Compute(class1Degrees, class2Degrees, [new CosineMargin(margin)]).Losses);

        double phi1 = boundaries.Class1Boundary;
        double phi2 = boundaries.Class2Boundary;
        Assert.Equal(Math.Cos(a2 - phi1), Math.Cos(phi1 - a1) - margin, 1e-9);
        Assert.Equal(Math.Cos(phi2 - a1), Math.Cos(a2 - phi2) - margin, 1e-9);
    }

    [Theory]
    [InlineData("LMCL")]
    [InlineData("LMAL")]
    public void Compute_WideMarginBoundaryAtWeight(string kind)
    {
        IMarginFunction function = CreateMargin(kind);
        // The weights are 10 degrees apart. LMCL needs cos(0) - 0.35 > cos(10 deg) and LMAL needs 0.5 rad (28.6 deg) < 10 deg, so neither class wins anywhere.
        double a1 = Radians(40), a2 = Radians(50);

        var boundaries = Assert.Single(MarginGeometry.Compute(40, 50, [function]).Losses);

        Assert.True(Math.Abs(boundaries.Class1Boundary - a1) < 1e-12, $"{kind}: class 1 boundary {boundaries.Class1Boundary}, W1 at {a1}");
        Assert.True(Math.Abs(boundaries.Class2Boundary - a2) < 1e-12, $"{kind}: class 2 boundary {boundaries.Class2Boundary}, W2 at {a2}");
        Assert.Equal(a2 - a1, boundaries.GapRadians, 1e-12);
    }

    [Theory]
    [InlineData(-1.0, 90.0)]
    [InlineData(0.0, 181.0)]
    [InlineData(90.0, 30.0)]
    [InlineData(50.0, 50.5)]
    [InlineData(double.NaN, 90.0)]
    [InlineData(0.0, double.PositiveInfinity)]
    public void Compute_InvalidAnglesRejected(double class1Degrees, double class2Degrees)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MarginGeometry.Compute(class1Degrees, class2Degrees, [new PlainCosine()]));

        Assert.Contains("0 <= W1 < W2 <= 180", error.Message);
    }

    [Fact]
    public void TargetLogit_EvaluatesFunctionAtAngle()
    {
        double theta = Radians(40);

        Assert.Equal(Math.Cos(theta), MarginGeometry.TargetLogit(new PlainCosine(), theta), 1e-12);
        Assert.Equal(Math.Cos(theta) - 0.35, MarginGeometry.TargetLogit(new CosineMargin(0.35), theta), 1e-12);
        Assert.Equal(Math.Cos(theta + 0.5), MarginGeometry.TargetLogit(new AngularMargin(0.5), theta), 1e-9);
    }
}
