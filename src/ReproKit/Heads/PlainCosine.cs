using static TorchSharp.torch;

namespace ReproKit.Heads;

/// <summary>The target logit without a margin, <c>cos(theta)</c>: normalised softmax, and the softmax curve of Figure 4.</summary>
public sealed class PlainCosine : IMarginFunction
{
    /// <inheritdoc />
    public string Name => "Softmax";

    /// <inheritdoc />
    public Tensor TargetLogit(Tensor cosTheta) => MarginMath.ClampCosine(cosTheta);
}
