namespace ReproKit.Images;

/// <summary>
/// Per-channel normalisation applied after scaling 8-bit values to [0, 1]: <c>(v / 255 - Mean[c]) / Std[c]</c>
/// for channels R, G, B.
/// </summary>
/// <param name="Mean">Three channel means on the [0, 1] scale.</param>
/// <param name="Std">Three channel standard deviations on the [0, 1] scale, each greater than 0.</param>
public sealed record Normalization(float[] Mean, float[] Std)
{
    /// <summary>
    /// The ImageNet statistics that torchvision's pretrained VGG-16 expects: mean 0.485, 0.456, 0.406 and
    /// standard deviation 0.229, 0.224, 0.225. Each call returns new arrays, so changing them affects no one else.
    /// </summary>
    public static Normalization ImageNet => new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>No normalisation: values stay in [0, 1]. Each call returns new arrays.</summary>
    public static Normalization None => new([0f, 0f, 0f], [1f, 1f, 1f]);
}
