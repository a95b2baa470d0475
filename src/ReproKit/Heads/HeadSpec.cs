using System.Globalization;

namespace ReproKit.Heads;

/// <summary>
/// A head's settings in the combined-margin form <c>s (cos(m1 theta + m2) - m3)</c>: LMCL uses only
/// <see cref="CosineMargin"/> (m3), LMAL only <see cref="AngularMarginRadians"/> (m2), SphereFace only
/// <see cref="MultiplicativeMargin"/> (m1). Softmax ignores all four values.
/// </summary>
/// <param name="Kind">Which head.</param>
/// <param name="Scale">s, the norm that features are rescaled to; greater than 0. Default 16.</param>
/// <param name="MultiplicativeMargin">m1, in [1, 4]; 1 means none.</param>
/// <param name="AngularMarginRadians">m2 in radians, in [0, pi/2].</param>
/// <param name="CosineMargin">m3 in cosine units, in [0, 1].</param>
public sealed record HeadSpec(
    HeadKind Kind,
    double Scale = HeadSpec.DefaultScale,
    double MultiplicativeMargin = 1.0,
    double AngularMarginRadians = 0.0,
    double CosineMargin = 0.0)
{
    /// <summary>Default scale s. Cao, Gu and Huang do not state theirs. On the embedded data LMAL reached a higher accuracy with 16 than with 32 or 64 (docs/heads.md).</summary>
    public const double DefaultScale = 16.0;

    /// <summary>Default LMCL margin, CosFace's 0.35.</summary>
    public const double DefaultCosineMargin = 0.35;

    /// <summary>Default LMAL margin in radians, ArcFace's 0.5 (about 28.6 degrees).</summary>
    public const double DefaultAngularMarginRadians = 0.5;

    /// <summary>Plain softmax head.</summary>
    public static HeadSpec Softmax() => new(HeadKind.Softmax);

    /// <summary>LMCL head with scale s and cosine margin m.</summary>
    public static HeadSpec Lmcl(double scale = DefaultScale, double cosineMargin = DefaultCosineMargin) =>
        new(HeadKind.Lmcl, scale, CosineMargin: cosineMargin);

    /// <summary>LMAL head with scale s and angular margin m in radians.</summary>
    public static HeadSpec Lmal(double scale = DefaultScale, double marginRadians = DefaultAngularMarginRadians) =>
        new(HeadKind.Lmal, scale, AngularMarginRadians: marginRadians);

    /// <summary>Combined-margin head.</summary>
    public static HeadSpec Combined(double scale, double m1, double m2Radians, double m3) =>
        new(HeadKind.Combined, scale, m1, m2Radians, m3);

    /// <summary>Name used in tables and file names: Softmax, LMCL, LMAL or Combined.</summary>
    public string DisplayName => Kind switch
    {
        HeadKind.Softmax => "Softmax",
        HeadKind.Lmcl => "LMCL",
        HeadKind.Lmal => "LMAL",
        _ => "Combined",
    };

    /// <summary>The settings in one line, for logs.</summary>
    public string Describe() => Kind switch
    {
        HeadKind.Softmax => "Softmax",
        HeadKind.Lmcl => string.Create(CultureInfo.InvariantCulture, $"LMCL (s={Scale}, m={CosineMargin})"),
        HeadKind.Lmal => string.Create(CultureInfo.InvariantCulture, $"LMAL (s={Scale}, m={AngularMarginRadians:0.####} rad)"),
        _ => string.Create(CultureInfo.InvariantCulture, $"Combined (s={Scale}, m1={MultiplicativeMargin}, m2={AngularMarginRadians:0.####} rad, m3={CosineMargin})"),
    };

    /// <summary>Creates the target-logit function of this head; this also validates the margins.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A margin is outside its range.</exception>
    public IMarginFunction CreateMarginFunction() => Kind switch
    {
        HeadKind.Softmax => new PlainCosine(),
        HeadKind.Lmcl => new CosineMargin(CosineMargin),
        HeadKind.Lmal => new AngularMargin(AngularMarginRadians),
        HeadKind.Combined => new CombinedMargin(MultiplicativeMargin, AngularMarginRadians, CosineMargin),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown head kind."),
    };

    /// <summary>Checks every setting and throws an error naming the first invalid one.</summary>
    public void Validate()
    {
        if (Kind != HeadKind.Softmax)
        {
            HeadValidation.RequirePositiveFinite(Scale, nameof(Scale), "scale s");
        }

        CreateMarginFunction();
    }

    /// <summary>Creates the head module for embeddings of <paramref name="embeddingSize"/> features and <paramref name="classCount"/> classes.</summary>
    public ClassificationHead CreateHead(long embeddingSize, long classCount)
    {
        Validate();
        return Kind == HeadKind.Softmax
            ? new SoftmaxHead(embeddingSize, classCount)
            : new NormalizedMarginHead(embeddingSize, classCount, Scale, CreateMarginFunction());
    }
}
