using System.IO.Compression;
using System.Security.Cryptography;

namespace ReproKit.Data;

/// <summary>
/// Opens data files that are either gzip-compressed or raw and reads their decompressed content, turning
/// decompressor failures into <see cref="InvalidDataException"/> messages that name the file and the fix.
/// </summary>
internal static class DataFileContent
{
    /// <summary>Advice appended to every message about a damaged data file.</summary>
    internal const string RepairAdvice =
        "Replace it with an intact copy. For Fashion-MNIST, download the files again with data-scripts/fetch-fashion-mnist.sh.";

    private const int BufferSize = 1 << 16;

    /// <summary>
    /// Opens <paramref name="path"/> for reading its content. Gzip is detected by the magic bytes 1f 8b (RFC 1952),
    /// not by the file name, so a raw file named *.gz still reads correctly.
    /// </summary>
    internal static Stream Open(string path, out bool isGzip)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Data file '{Path.GetFullPath(path)}' was not found. Check the path, or for Fashion-MNIST download the files with data-scripts/fetch-fashion-mnist.sh.",
                path);
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            int magicLength = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
            file.Position = 0;
            isGzip = magicLength == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
            return isGzip ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: false) : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads until <paramref name="buffer"/> is full or the content ends, and returns the number of bytes read.
    /// </summary>
    internal static int ReadFully(Stream content, Span<byte> buffer, string path)
    {
        try
        {
            return content.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException exception)
        {
            throw CorruptGzip(path, exception);
        }
    }

    /// <summary>Reads the content to its end and returns the number of bytes that were left.</summary>
    internal static long CountRemaining(Stream content, string path)
    {
        var buffer = new byte[BufferSize];
        long total = 0;
        int read;
        while ((read = ReadFully(content, buffer, path)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>Returns the MD5 of the file's bytes as 32 lowercase hex digits.</summary>
    internal static string ComputeFileMd5(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
        return Convert.ToHexStringLower(MD5.HashData(file));
    }

    /// <summary>
    /// Returns the MD5 of the decompressed content as 32 lowercase hex digits. For a raw file that is the MD5 of
    /// the file itself.
    /// </summary>
    internal static string ComputeContentMd5(string path)
    {
        using var content = Open(path, out _);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[BufferSize];
        int read;
        while ((read = ReadFully(content, buffer, path)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static InvalidDataException CorruptGzip(string path, InvalidDataException inner)
    {
        return new InvalidDataException(
            $"'{Path.GetFullPath(path)}' starts like a gzip file but could not be decompressed: {inner.Message} {RepairAdvice}",
            inner);
    }
}
