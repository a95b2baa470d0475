using ReproKit.Images;

namespace ReproKit.Cli;

/// <summary>The image check behind <c>data verify --check-images</c>.</summary>
internal static class ImageCheck
{
    /// <summary>Decodes the image at <paramref name="path"/> as training would, and returns why it cannot be used, or null when it can.</summary>
    public static string? Describe(string path)
    {
        try
        {
            using var image = ImageDecoder.Decode(path);
            return null;
        }
        catch (ImageDecodeException e)
        {
            return e.Reason;
        }
    }
}
