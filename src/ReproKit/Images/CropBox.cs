namespace ReproKit.Images;

/// <summary>
/// A rectangle in pixel coordinates of the decoded, EXIF-oriented image. The origin is the top-left corner
/// of the top-left pixel, x grows to the right and y downwards, so pixel column i covers [i, i + 1).
/// Coordinates may be fractional, and the crop covers every pixel that the widened box touches.
/// </summary>
/// <param name="XMin">Left edge in pixels.</param>
/// <param name="YMin">Top edge in pixels.</param>
/// <param name="XMax">Right edge in pixels, greater than <paramref name="XMin"/>.</param>
/// <param name="YMax">Bottom edge in pixels, greater than <paramref name="YMin"/>.</param>
/// <param name="Context">
/// Margin added on each side as a fraction of the box's width (left and right) and height (top and bottom),
/// then clipped to the image: 0.1 widens a 200-pixel-wide box by 20 pixels on each side. Must be 0 or more.
/// </param>
public sealed record CropBox(double XMin, double YMin, double XMax, double YMax, double Context = 0);
