using System.Globalization;
using static TorchSharp.torch;

namespace ReproKit.Heads;

/// <summary>
/// The combined margin <c>cos(m1 theta + m2) - m3</c> of the ArcFace paper, which contains SphereFace
/// (m1), ArcFace/LMAL (m2, radians) and CosFace/LMCL (m3, cosine units) as special cases.
/// </summary>
/// <remarks>
/// cos(m1 theta + m2) decreases only while m1 theta + m2 &lt;= pi, that is up to
/// theta* = (pi - m2) / m1. Past theta* the function continues as <c>cos(theta) - cos(theta*) - 1 - m3</c>,
/// the plain cosine shifted to join the curve at theta*, so it stays continuous and non-increasing on
/// [0, pi]; this is the same rule as <see cref="AngularMargin"/> when m1 = 1 and m3 = 0.
/// </remarks>
public sealed class CombinedMargin : IMarginFunction
{
    /// <summary>Largest accepted multiplicative margin m1.</summary>
    public const double MaxMultiplicative = 4.0;

    private readonly double _limitTheta;
    private readonly double _limitCos;

    /// <summary>
    /// Creates the function. <paramref name="multiplicative"/> (m1) is in [1, 4] (SphereFace figure: 1.35),
    /// <paramref name="angularRadians"/> (m2) in [0, pi/2], <paramref name="cosine"/> (m3) in [0, 1].
    /// </summary>
    public CombinedMargin(double multiplicative, double angularRadians, double cosine)
    {
        HeadValidation.RequireInRange(multiplicative, 1.0, MaxMultiplicative, nameof(multiplicative), "combined margin m1 (multiplicative)");
        HeadValidation.RequireInRange(angularRadians, 0.0, AngularMargin.MaxMarginRadians, nameof(angularRadians), "combined margin m2 (radians)");
        HeadValidation.RequireInRange(cosine, 0.0, CosineMargin.MaxMargin, nameof(cosine), "combined margin m3 (cosine)");

        Multiplicative = multiplicative;
        AngularRadians = angularRadians;
        Cosine = cosine;
        _limitTheta = (Math.PI - angularRadians) / multiplicative;
        _limitCos = Math.Cos(_limitTheta);
    }

    /// <summary>The multiplicative angular margin m1 (SphereFace).</summary>
    public double Multiplicative { get; }

    /// <summary>The additive angular margin m2 in radians (ArcFace).</summary>
    public double AngularRadians { get; }

    /// <summary>The additive cosine margin m3 (CosFace).</summary>
    public double Cosine { get; }

    /// <inheritdoc />
    public string Name => (Multiplicative, AngularRadians, Cosine) switch
    {
        (_, 0.0, 0.0) => string.Create(CultureInfo.InvariantCulture, $"SphereFace (m1={Multiplicative})"),
        _ => string.Create(CultureInfo.InvariantCulture, $"Combined (m1={Multiplicative}, m2={AngularRadians:0.####} rad, m3={Cosine})"),
    };

    /// <inheritdoc />
    public Tensor TargetLogit(Tensor cosTheta)
    {
        var cos = MarginMath.ClampCosine(cosTheta);
        var theta = MarginMath.Theta(cos);

        var withMargin = (theta * Multiplicative + AngularRadians).cos() - Cosine;

        if (_limitTheta >= Math.PI)
        {
            return withMargin;
        }

        var pastLimit = theta > _limitTheta;
        var shifted = cos - _limitCos - 1.0 - Cosine;
        return where(pastLimit, shifted, withMargin);
    }
}
