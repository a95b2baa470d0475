namespace ReproKit.Data;

/// <summary>
/// Images read from an IDX file of unsigned bytes with three dimensions (count, rows, columns).
/// </summary>
/// <param name="Count">Number of images, at least 1.</param>
/// <param name="Rows">Image height in pixels, at least 1.</param>
/// <param name="Columns">Image width in pixels, at least 1.</param>
/// <param name="Pixels">
/// Gray levels 0 to 255 in row-major order, so pixel (image i, row r, column c) is at index
/// (i * Rows + r) * Columns + c. The length is Count * Rows * Columns.
/// </param>
public sealed record IdxImages(int Count, int Rows, int Columns, byte[] Pixels)
{
    /// <summary>Number of pixels in one image: Rows * Columns.</summary>
    public int PixelsPerImage => Rows * Columns;
}
