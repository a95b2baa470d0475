using ReproKit.Heads;
using static TorchSharp.torch;

namespace ReproKit.Reporting;

/// <summary>Evaluates heads' target-logit functions over a grid of angles: the data of Figure 4.</summary>
public static class Figure4Curves
{
    /// <summary>
    /// The functions the ArcFace paper draws in its version of the figure, with its margins:
    /// softmax, SphereFace m1 = 1.35, CosFace (LMCL) m = 0.35, ArcFace (LMAL) m = 0.5 rad and the
    /// combined margin (1, 0.3, 0.2).
    /// </summary>
    public static IReadOnlyList<IMarginFunction> DefaultFunctions() =>
    [
        new PlainCosine(),
        new CombinedMargin(1.35, 0, 0),
        new CosineMargin(HeadSpec.DefaultCosineMargin),
        new AngularMargin(HeadSpec.DefaultAngularMarginRadians),
        new CombinedMargin(1.0, 0.3, 0.2),
    ];

    /// <summary>
    /// Returns one curve per function: the target logit (before scaling by s) at <paramref name="points"/>
    /// evenly spaced angles from <paramref name="minDegrees"/> to <paramref name="maxDegrees"/>, computed in
    /// float64 by the same <see cref="IMarginFunction.TargetLogit"/> that trains the heads.
    /// </summary>
    public static IReadOnlyList<Curve> Compute(IReadOnlyList<IMarginFunction> functions, double minDegrees = 20, double maxDegrees = 100, int points = 161)
    {
        if (functions.Count == 0)
        {
            throw new ArgumentException("Figure 4 needs at least one margin function.", nameof(functions));
        }

        if (!(minDegrees >= 0 && maxDegrees <= 180 && minDegrees < maxDegrees))
        {
            throw new ArgumentOutOfRangeException(nameof(minDegrees), $"The angle range is [{minDegrees}, {maxDegrees}] degrees, but it must satisfy 0 <= min < max <= 180.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);

        var degrees = Enumerable.Range(0, points).Select(i => minDegrees + ((maxDegrees - minDegrees) * i / (points - 1))).ToArray();
        using var scope = NewDisposeScope();
        var cosTheta = tensor(degrees.Select(d => Math.Cos(d * Math.PI / 180)).ToArray(), float64);

        return functions
            .Select(f => new Curve(f.Name, degrees, f.TargetLogit(cosTheta).data<double>().ToArray()))
            .ToList();
    }
}
