using System.Text;

namespace ReproKit.Reporting;

/// <summary>
/// Writes report files so that a reader never sees a half-written file and a failed write
/// leaves the previous file untouched.
/// </summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8WithoutBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Writes <paramref name="contents"/> as UTF-8 without a byte order mark to a temporary file in the
    /// destination folder, then renames it over <paramref name="path"/>. Creates the folder if it is missing.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is blank or is an existing directory.</exception>
    public static void WriteAllText(string path, string contents)
    {
        string fullPath = ResolveFilePath(path);
        string folder = Path.GetDirectoryName(fullPath)
            ?? throw new ArgumentException($"Output path '{path}' is a root directory. Pass a file path.", nameof(path));
        Directory.CreateDirectory(folder);

        // The temporary file sits in the destination folder because a rename is only atomic
        // within one file system.
        string temporaryPath = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temporaryPath, contents, Utf8WithoutBom);
            File.Move(temporaryPath, fullPath, overwrite: true);
        }
        catch
        {
            DeleteIfPossible(temporaryPath);
            throw;
        }
    }

    // Cleanup must not replace the write error that the caller needs to see.
    private static void DeleteIfPossible(string temporaryPath)
    {
        try
        {
            File.Delete(temporaryPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static string ResolveFilePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("Output path is blank. Pass a file path such as 'out/figure4.csv'.", nameof(path));
        }

        string fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw new ArgumentException(
                $"Output path '{path}' is an existing directory. Pass a file path inside it instead.", nameof(path));
        }

        if (Path.EndsInDirectorySeparator(fullPath))
        {
            throw new ArgumentException(
                $"Output path '{path}' ends with a directory separator. Pass a file path.", nameof(path));
        }

        return fullPath;
    }
}
