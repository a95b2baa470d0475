namespace ReproKit.Images;

/// <summary>A batch of processed images in NCHW layout with their labels.</summary>
/// <param name="Pixels">Normalised float32 values, <paramref name="Count"/> x <paramref name="Channels"/> x <paramref name="Height"/> x <paramref name="Width"/>, row-major.</param>
/// <param name="Labels">One label per image.</param>
/// <param name="Count">Number of images, smaller than the batch size for the last batch and where bad samples were skipped.</param>
/// <param name="Channels">Channels per image, 3 (RGB).</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="Width">Image width in pixels.</param>
public sealed record ImageBatch(float[] Pixels, long[] Labels, int Count, int Channels, int Height, int Width);
