namespace ReproKit.Images;

/// <summary>Limits that <see cref="ImageDecoder"/> checks before it allocates pixel memory.</summary>
/// <param name="MaxPixels">Maximum width times height that the file's header may declare. Default 40 million.</param>
/// <param name="MaxDimension">Maximum width or height, in pixels, that the header may declare. Default 16,384.</param>
/// <param name="MaxFileBytes">Maximum file size in bytes. Default 200 MiB.</param>
public sealed record ImageDecodeOptions(
    long MaxPixels = 40_000_000,
    int MaxDimension = 16_384,
    long MaxFileBytes = 200L * 1024 * 1024)
{
    /// <summary>The default limits.</summary>
    public static ImageDecodeOptions Default { get; } = new();
}
