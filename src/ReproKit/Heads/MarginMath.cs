using static TorchSharp.torch;

namespace ReproKit.Heads;

/// <summary>Shared, numerically guarded trigonometry for the margin functions.</summary>
internal static class MarginMath
{
    // sin(theta) = sqrt(1 - cos^2) has an infinite derivative at cos = +-1. Clamping the radicand
    // at this floor gives sin(theta) >= 1e-6 there and a zero (finite) gradient through the clamp,
    // while changing no value that float32 can tell apart from the exact one in the interior.
    private const double RadicandFloor = 1e-12;

    /// <summary>Clamps <paramref name="cosTheta"/> into [-1, 1], the range of a cosine.</summary>
    public static Tensor ClampCosine(Tensor cosTheta) => cosTheta.clamp(-1.0, 1.0);

    /// <summary>Returns sin(theta) for theta in [0, pi] given cos(theta), never below 1e-6.</summary>
    public static Tensor SinFromCos(Tensor cosTheta) => (1.0 - cosTheta.square()).clamp_min(RadicandFloor).sqrt();

    /// <summary>
    /// Returns theta in [0, pi] from cos(theta). atan2 keeps the gradient finite where acos's is
    /// infinite (at cos = +-1).
    /// </summary>
    public static Tensor Theta(Tensor cosTheta) => atan2(SinFromCos(cosTheta), cosTheta);
}
