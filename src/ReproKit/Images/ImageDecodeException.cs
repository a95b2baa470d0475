namespace ReproKit.Images;

/// <summary>
/// An image file that cannot be used: missing, empty, too large, truncated, corrupt, of an unsupported format,
/// or with a crop box outside the image. The message reads "&lt;path&gt;: &lt;reason&gt;. &lt;what to do&gt;".
/// </summary>
public sealed class ImageDecodeException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    /// <param name="path">The file, as the caller named it.</param>
    /// <param name="reason">What is wrong, as a sentence fragment without a final full stop.</param>
    /// <param name="action">What to do about it, as a full sentence ending with a full stop.</param>
    /// <param name="innerException">The decoder's or the file system's exception, if any.</param>
    public ImageDecodeException(string path, string reason, string action, Exception? innerException = null)
        : base($"{path}: {reason}. {action}", innerException)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The file, as the caller named it.</summary>
    public string Path { get; }

    /// <summary>What is wrong with the file, without the path or the advice.</summary>
    public string Reason { get; }
}
