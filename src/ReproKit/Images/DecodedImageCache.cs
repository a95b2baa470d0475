using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ReproKit.Images;

/// <summary>
/// A folder of decoded, box-cropped and downscaled images stored as raw RGB, so later epochs skip JPEG decoding.
/// </summary>
/// <remarks>
/// <para>
/// A file's name is the SHA-256 of its key: the format version, the source's full path, length in bytes and
/// last-write time (UTC ticks), the crop box, and <see cref="ImagePipeline.CacheShorterSide"/>. Changing the
/// source file, the box or the pipeline's cache size therefore selects a new file. The old file is never read
/// again but is not deleted either, so delete the folder to reclaim space, at any time. A source rewritten
/// within the file system's timestamp resolution with the same length is not noticed.
/// </para>
/// <para>
/// Layout, little-endian: "RKIC", format version (int32), width, height (int32), SHA-256 of the key, SHA-256 of
/// the pixels, then width x height x 3 bytes of RGB rows. A file that fails any check is logged, decoded
/// again and rewritten. Files are written to a temporary name in the same folder and renamed, so a reader never
/// sees a partial file. A failed write is logged and the run goes on without that file.
/// </para>
/// </remarks>
internal sealed class DecodedImageCache
{
    private const int FormatVersion = 1;
    private const int HashLength = 32;
    private const int HeaderLength = 4 + 4 + 4 + 4 + HashLength + HashLength;
    private const int MaxLoggedProblems = 10;
    private const string FileExtension = ".rgb";

    private static ReadOnlySpan<byte> Magic => "RKIC"u8;

    private readonly ILogger _logger;
    private long _hits;
    private long _misses;
    private long _rewrites;
    private long _writeFailures;
    private int _loggedProblems;

    public DecodedImageCache(string directory, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        DirectoryPath = Path.GetFullPath(directory);
        _logger = logger;
    }

    /// <summary>Full path of the cache folder.</summary>
    public string DirectoryPath { get; }

    /// <summary>Images read from valid cache files.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Images decoded from their source because no valid cache file existed.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Cache files found invalid and written again.</summary>
    public long Rewrites => Interlocked.Read(ref _rewrites);

    /// <summary>Cache files that could not be written.</summary>
    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Returns the sample's cached image, or decodes it through <paramref name="pipeline"/> and stores it.</summary>
    public Image<Rgb24> GetOrCreate(ImageSample sample, ImagePipeline pipeline)
    {
        byte[]? key = ComputeKey(sample, pipeline.CacheShorterSide);
        if (key is null)
        {
            // The source cannot be examined, and decoding it reports why.
            Interlocked.Increment(ref _misses);
            return pipeline.LoadForCache(sample);
        }

        string cachePath = GetCachePath(key);
        Configuration configuration = ImageDecoder.GetConfiguration(pipeline.DecodeOptions);
        if (File.Exists(cachePath))
        {
            Image<Rgb24>? cached = TryRead(cachePath, key, pipeline.DecodeOptions, configuration, out string? problem);
            if (cached is not null)
            {
                Interlocked.Increment(ref _hits);
                return cached;
            }

            Interlocked.Increment(ref _rewrites);
            if (ShouldLogProblem())
            {
                _logger.LogWarning("Cache file {CachePath} for {Source} is invalid ({Problem}), so the source is decoded again and the file rewritten", cachePath, sample.Path, problem);
            }
        }

        Interlocked.Increment(ref _misses);
        Image<Rgb24> image = pipeline.LoadForCache(sample);
        TryWrite(cachePath, key, image, sample.Path);
        return image;
    }

    /// <summary>Returns the cache file path for the sample, or null where its source cannot be examined.</summary>
    internal string? GetCachePath(ImageSample sample, int? shorterSide) =>
        ComputeKey(sample, shorterSide) is { } key ? GetCachePath(key) : null;

    private string GetCachePath(byte[] key)
    {
        string name = Convert.ToHexStringLower(key);
        return Path.Combine(DirectoryPath, name[..2], name + FileExtension);
    }

    private static byte[]? ComputeKey(ImageSample sample, int? shorterSide)
    {
        FileInfo source;
        try
        {
            source = new FileInfo(Path.GetFullPath(sample.Path));
            if (!source.Exists)
            {
                return null;
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }

        CropBox? box = sample.Box;
        string boxText = box is null
            ? "whole"
            : string.Create(CultureInfo.InvariantCulture, $"{box.XMin:R},{box.YMin:R},{box.XMax:R},{box.YMax:R},{box.Context:R}");
        string keyText = string.Create(
            CultureInfo.InvariantCulture,
            $"v{FormatVersion}\n{source.FullName}\n{source.Length}\n{source.LastWriteTimeUtc.Ticks}\n{boxText}\n{shorterSide?.ToString(CultureInfo.InvariantCulture) ?? "full"}");
        return SHA256.HashData(Encoding.UTF8.GetBytes(keyText));
    }

    private static Image<Rgb24>? TryRead(string cachePath, byte[] key, ImageDecodeOptions limits, Configuration configuration, out string? problem)
    {
        byte[] data;
        try
        {
            long length = new FileInfo(cachePath).Length;
            if (length < HeaderLength || length > HeaderLength + (limits.MaxPixels * 3))
            {
                problem = $"its length of {length} bytes is impossible";
                return null;
            }

            data = File.ReadAllBytes(cachePath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            problem = $"reading it failed: {exception.Message}";
            return null;
        }

        ReadOnlySpan<byte> header = data.AsSpan(0, HeaderLength);
        int version = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        int width = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        int height = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        ReadOnlySpan<byte> storedKey = header.Slice(16, HashLength);
        ReadOnlySpan<byte> storedPixelHash = header.Slice(16 + HashLength, HashLength);
        ReadOnlySpan<byte> pixels = data.AsSpan(HeaderLength);

        problem = null;
        if (!header[..4].SequenceEqual(Magic) || version != FormatVersion)
        {
            problem = "unknown signature or format version";
        }
        else if (width <= 0 || height <= 0 || (long)width * height * 3 != pixels.Length)
        {
            problem = $"its header declares {width}x{height} pixels but it holds {pixels.Length} pixel bytes";
        }
        else if (!storedKey.SequenceEqual(key))
        {
            problem = "it belongs to another key";
        }
        else if (!storedPixelHash.SequenceEqual(SHA256.HashData(pixels)))
        {
            problem = "its pixel checksum does not match";
        }

        return problem is null ? Image.LoadPixelData<Rgb24>(configuration, pixels, width, height) : null;
    }

    private void TryWrite(string cachePath, byte[] key, Image<Rgb24> image, string sourcePath)
    {
        string folder = Path.GetDirectoryName(cachePath)!;
        string temporaryPath = Path.Combine(folder, $".{Path.GetFileName(cachePath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            byte[] file = new byte[HeaderLength + (image.Width * image.Height * 3)];
            Span<byte> pixels = file.AsSpan(HeaderLength);
            image.CopyPixelDataTo(pixels);

            Span<byte> header = file.AsSpan(0, HeaderLength);
            Magic.CopyTo(header);
            BinaryPrimitives.WriteInt32LittleEndian(header[4..], FormatVersion);
            BinaryPrimitives.WriteInt32LittleEndian(header[8..], image.Width);
            BinaryPrimitives.WriteInt32LittleEndian(header[12..], image.Height);
            key.CopyTo(header[16..]);
            SHA256.HashData(pixels, header.Slice(16 + HashLength, HashLength));

            File.WriteAllBytes(temporaryPath, file);
            File.Move(temporaryPath, cachePath, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            Interlocked.Increment(ref _writeFailures);
            DeleteIfPossible(temporaryPath);
            if (ShouldLogProblem())
            {
                _logger.LogWarning(exception, "Writing cache file {CachePath} for {Source} failed. The run continues without it", cachePath, sourcePath);
            }
        }
    }

    // Only the first few problems are logged, because a broken cache folder would otherwise log once per image.
    private bool ShouldLogProblem()
    {
        int count = Interlocked.Increment(ref _loggedProblems);
        if (count == MaxLoggedProblems + 1)
        {
            _logger.LogWarning("Further cache problems in {CacheDirectory} are counted but not logged", DirectoryPath);
        }

        return count <= MaxLoggedProblems;
    }

    private static void DeleteIfPossible(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }
    }
}
