using System.Globalization;
using static TorchSharp.torch;

namespace ReproKit.Heads;

/// <summary>
/// LMAL, the large margin angular loss (ArcFace, arXiv:1801.07698): target logit <c>cos(theta + m)</c>,
/// with the margin <c>m</c> an angle in radians.
/// </summary>
/// <remarks>
/// cos(theta + m) decreases only while theta + m &lt;= pi. Past <c>theta &gt; pi - m</c> this kit uses
/// <c>cos(theta) - (1 - cos m)</c>: the plain cosine shifted down so that it meets cos(theta + m) = -1
/// exactly at theta = pi - m. The target logit is therefore continuous and non-increasing over all of
/// [0, pi], and a badly misclassified sample keeps a non-zero gradient. (The ArcFace reference code
/// uses <c>cos(theta) - m sin(m)</c> there, which steps down at pi - m instead of joining.)
/// </remarks>
public sealed class AngularMargin : IMarginFunction
{
    /// <summary>Largest accepted margin in radians (90 degrees).</summary>
    public const double MaxMarginRadians = Math.PI / 2;

    private readonly double _cosMargin;
    private readonly double _sinMargin;

    /// <summary>Creates the function; <paramref name="marginRadians"/> is in [0, pi/2] (ArcFace uses 0.5).</summary>
    public AngularMargin(double marginRadians)
    {
        HeadValidation.RequireInRange(marginRadians, 0.0, MaxMarginRadians, nameof(marginRadians), "LMAL angular margin m (radians)");
        MarginRadians = marginRadians;
        _cosMargin = Math.Cos(marginRadians);
        _sinMargin = Math.Sin(marginRadians);
    }

    /// <summary>The angular margin m in radians.</summary>
    public double MarginRadians { get; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture, $"LMAL (m={MarginRadians:0.####} rad)");

    /// <inheritdoc />
    public Tensor TargetLogit(Tensor cosTheta)
    {
        var cos = MarginMath.ClampCosine(cosTheta);
        var sin = MarginMath.SinFromCos(cos);

        // cos(theta + m) = cos(theta) cos(m) - sin(theta) sin(m)
        var withMargin = (cos * _cosMargin) - (sin * _sinMargin);

        // theta > pi - m  <=>  cos(theta) < cos(pi - m) = -cos(m)
        var pastLimit = cos < -_cosMargin;
        var shifted = cos - (1.0 - _cosMargin);

        return where(pastLimit, shifted, withMargin);
    }
}
