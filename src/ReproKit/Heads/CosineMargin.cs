using System.Globalization;
using static TorchSharp.torch;

namespace ReproKit.Heads;

/// <summary>
/// LMCL, the large margin cosine loss (CosFace, arXiv:1801.09414; AM-Softmax, arXiv:1801.05599):
/// target logit <c>cos(theta) - m</c>, with the margin <c>m</c> in cosine units.
/// </summary>
public sealed class CosineMargin : IMarginFunction
{
    /// <summary>Largest accepted margin. At m = 1 a perfectly aligned feature scores no higher than an orthogonal class, so larger values only stall training.</summary>
    public const double MaxMargin = 1.0;

    /// <summary>Creates the function; <paramref name="margin"/> is in cosine units, in [0, 1] (CosFace uses 0.35).</summary>
    public CosineMargin(double margin)
    {
        HeadValidation.RequireInRange(margin, 0.0, MaxMargin, nameof(margin), "LMCL cosine margin m");
        Margin = margin;
    }

    /// <summary>The cosine margin m.</summary>
    public double Margin { get; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture, $"LMCL (m={Margin})");

    /// <inheritdoc />
    public Tensor TargetLogit(Tensor cosTheta) => MarginMath.ClampCosine(cosTheta) - Margin;
}
