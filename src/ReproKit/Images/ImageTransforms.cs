namespace ReproKit.Images;

/// <summary>
/// Factories for the built-in transforms. Each mirrors the torchvision transform of the same name, resizes with
/// an antialiased bilinear filter as torchvision does by default, and draws randomness only from the
/// <see cref="Random"/> passed to <see cref="IImageTransform.Apply"/>.
/// </summary>
public static class ImageTransforms
{
    /// <summary>Scales the image so its shorter side is <paramref name="shorterSide"/> pixels, keeping the aspect ratio (longer side truncated).</summary>
    public static IImageTransform Resize(int shorterSide) => new ResizeTransform(shorterSide);

    /// <summary>Scales the image to exactly <paramref name="width"/> x <paramref name="height"/> pixels.</summary>
    public static IImageTransform ResizeExact(int width, int height) => new ResizeExactTransform(width, height);

    /// <summary>Cuts the central <paramref name="width"/> x <paramref name="height"/> region, padding a smaller image with black.</summary>
    public static IImageTransform CenterCrop(int width, int height) => new CenterCropTransform(width, height);

    /// <summary>
    /// Pads each side with <paramref name="padding"/> black pixels, then cuts a <paramref name="width"/> x
    /// <paramref name="height"/> region at a uniformly random position. Throws <see cref="InvalidOperationException"/>
    /// when applied to an image smaller than the crop after padding.
    /// </summary>
    public static IImageTransform RandomCrop(int width, int height, int padding = 0) => new RandomCropTransform(width, height, padding);

    /// <summary>
    /// Cuts a random region covering a fraction in [<paramref name="minScale"/>, <paramref name="maxScale"/>] of the
    /// image area, with width / height in [<paramref name="minRatio"/>, <paramref name="maxRatio"/>], and scales it to
    /// <paramref name="width"/> x <paramref name="height"/>. After 10 draws that do not fit, it takes the central
    /// region with the ratio clamped to the range, as torchvision does.
    /// </summary>
    public static IImageTransform RandomResizedCrop(
        int width,
        int height,
        double minScale = 0.08,
        double maxScale = 1.0,
        double minRatio = 3.0 / 4,
        double maxRatio = 4.0 / 3) =>
        new RandomResizedCropTransform(width, height, minScale, maxScale, minRatio, maxRatio);

    /// <summary>Mirrors the image left to right with probability <paramref name="probability"/>, in [0, 1].</summary>
    public static IImageTransform HorizontalFlip(double probability = 0.5) => new HorizontalFlipTransform(probability);
}
