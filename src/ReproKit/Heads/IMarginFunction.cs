using TorchSharp;
using static TorchSharp.torch;

namespace ReproKit.Heads;

/// <summary>
/// A head's target-logit function: the value that replaces <c>cos(theta_y)</c> for the true class
/// before the logits are scaled by <c>s</c>. The same function trains the head and draws Figure 4,
/// so the curves always show what training optimises.
/// </summary>
public interface IMarginFunction
{
    /// <summary>Short display name, for example <c>LMAL (m=0.5 rad)</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Maps <c>cos(theta)</c> of the true class to the margin-penalised target logit, element-wise and
    /// differentiably. Input values outside [-1, 1] are clamped. Loss and gradient stay finite for every
    /// input, <c>cos(theta)</c> = 1 and -1 included, in float32 and float64.
    /// </summary>
    Tensor TargetLogit(Tensor cosTheta);
}
