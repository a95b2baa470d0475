namespace ReproKit.Cli;

/// <summary>The image check behind <c>data verify --check-images</c>.</summary>
internal static class ImageCheck
{
    /// <summary>Returns why the image at <paramref name="path"/> cannot be used, or null when it decodes.</summary>
    public static string? Describe(string path)
    {
        // TODO: replace with the image pipeline's header check once it exists.
        return File.Exists(path) && new FileInfo(path).Length > 0 ? null : "the file is empty or missing";
    }
}
