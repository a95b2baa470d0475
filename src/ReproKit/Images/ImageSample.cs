namespace ReproKit.Images;

/// <summary>One labelled image file, optionally restricted to a region of it.</summary>
/// <param name="Path">Path of a JPEG, PNG, BMP or GIF file.</param>
/// <param name="Label">Class index, copied unchanged into <see cref="ImageBatch.Labels"/>.</param>
/// <param name="Box">
/// Region to crop before any transform, in pixels of the decoded image after its EXIF orientation is applied;
/// null uses the whole image.
/// </param>
public sealed record ImageSample(string Path, int Label, CropBox? Box = null);
