using System.Buffers;
using System.Collections.Concurrent;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ReproKit.Images;

/// <summary>
/// Decodes JPEG, PNG, BMP and GIF files into 8-bit RGB images. The file size and the header's width and
/// height are checked before any pixel memory is allocated, so an oversized, corrupt or hostile file fails
/// with an <see cref="ImageDecodeException"/> that names it instead of exhausting memory.
/// </summary>
/// <remarks>
/// <para>
/// Only the JPEG, PNG, BMP and GIF decoders are registered. TIFF is rejected by its signature: neither
/// PASCAL VOC nor Caltech-256 contains TIFF files, and ImageSharp's TIFF decoder has had security advisories
/// for crafted files, so it is left out of the decoders that read untrusted data here.
/// </para>
/// <para>
/// Every source becomes <see cref="Rgb24"/>: greyscale is replicated into the three channels, CMYK and YCCK
/// JPEGs are converted by ImageSharp, 16-bit PNGs are scaled to 8 bits, and an alpha channel is dropped
/// without compositing (as Pillow's <c>convert("RGB")</c> does). Only the first frame of a GIF is decoded.
/// The EXIF orientation is applied, so the result is upright and its orientation tag is reset.
/// </para>
/// <para>
/// NOTE: a truncated BMP is not detected, because ImageSharp 2.1 fills its missing rows without an error.
/// </para>
/// <para>
/// Returned images carry a configuration with <c>MaxDegreeOfParallelism = 1</c>, because
/// <see cref="ImageBatchLoader"/> parallelises across images, not inside one. Its memory allocator rejects
/// any single buffer over 8 bytes per pixel of <see cref="ImageDecodeOptions.MaxPixels"/> (at least
/// 256 MiB) and keeps at most 128 MiB pooled for reuse.
/// </para>
/// </remarks>
public static class ImageDecoder
{
    private const int MinimumAllocationLimitMegabytes = 256;
    private const int AllocationBytesPerPixel = 8;
    private const int PoolSizeMegabytes = 128;
    private const string DownloadAgain = "Download the file again or remove the sample from the list.";

    private static readonly ConcurrentDictionary<int, Configuration> s_configurationsByLimit = new();

    /// <summary>Decodes <paramref name="path"/> into an upright RGB image. The caller disposes the image.</summary>
    /// <param name="path">A JPEG, PNG, BMP or GIF file.</param>
    /// <param name="options">Size limits, or null for <see cref="ImageDecodeOptions.Default"/>.</param>
    /// <exception cref="ImageDecodeException">
    /// The file is missing, unreadable, empty, larger than <see cref="ImageDecodeOptions.MaxFileBytes"/>, not a
    /// supported image, a TIFF, declares more pixels or a longer side than the limits, is a truncated JPEG,
    /// or its data is corrupt.
    /// </exception>
    public static Image<Rgb24> Decode(string path, ImageDecodeOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= ImageDecodeOptions.Default;
        Validate(options);

        byte[] buffer = ReadFile(path, options, out int length);
        try
        {
            return DecodeContent(path, buffer, length, options);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Returns the shared configuration whose allocator fits <paramref name="options"/>.</summary>
    internal static Configuration GetConfiguration(ImageDecodeOptions options)
    {
        long limitBytes = options.MaxPixels * AllocationBytesPerPixel;
        int limitMegabytes = (int)Math.Clamp((limitBytes + (1 << 20) - 1) >> 20, MinimumAllocationLimitMegabytes, int.MaxValue);
        return s_configurationsByLimit.GetOrAdd(limitMegabytes, CreateConfiguration);
    }

    internal static void Validate(ImageDecodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxPixels, nameof(ImageDecodeOptions.MaxPixels));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxDimension, nameof(ImageDecodeOptions.MaxDimension));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxFileBytes, nameof(ImageDecodeOptions.MaxFileBytes));
    }

    private static Configuration CreateConfiguration(int allocationLimitMegabytes)
    {
        var configuration = new Configuration(
            new JpegConfigurationModule(),
            new PngConfigurationModule(),
            new BmpConfigurationModule(),
            new GifConfigurationModule())
        {
            MaxDegreeOfParallelism = 1,
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
            {
                MaximumPoolSizeMegabytes = PoolSizeMegabytes,
                AllocationLimitMegabytes = allocationLimitMegabytes,
            }),
        };

        // An animated GIF would otherwise allocate a full canvas for every frame.
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
        return configuration;
    }

    /// <summary>Reads the whole file into a pooled buffer that the caller returns to <see cref="ArrayPool{T}.Shared"/>.</summary>
    private static byte[] ReadFile(string path, ImageDecodeOptions options, out int length)
    {
        const string CheckPath = "Check the path and the file's permissions, or remove the sample from the list.";
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            long fileLength = stream.Length;
            if (fileLength == 0)
            {
                throw new ImageDecodeException(path, "the file is empty (0 bytes)", DownloadAgain);
            }

            if (fileLength > options.MaxFileBytes)
            {
                throw new ImageDecodeException(
                    path,
                    $"the file has {fileLength:N0} bytes, over the limit of {options.MaxFileBytes:N0} (ImageDecodeOptions.MaxFileBytes)",
                    "Downscale or re-encode the image, or raise MaxFileBytes if the file is genuine.");
            }

            length = (int)fileLength;
            byte[] buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                stream.ReadExactly(buffer, 0, length);
                return buffer;
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }
        catch (FileNotFoundException exception)
        {
            throw new ImageDecodeException(path, "the file does not exist", CheckPath, exception);
        }
        catch (DirectoryNotFoundException exception)
        {
            throw new ImageDecodeException(path, "the file's folder does not exist", CheckPath, exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new ImageDecodeException(path, "read access to the file was denied", CheckPath, exception);
        }
        catch (IOException exception)
        {
            throw new ImageDecodeException(path, $"reading the file failed ({exception.Message})", CheckPath, exception);
        }
    }

    private static Image<Rgb24> DecodeContent(string path, byte[] buffer, int length, ImageDecodeOptions options)
    {
        ReadOnlySpan<byte> content = buffer.AsSpan(0, length);
        const string ConvertOrRemove = "Convert it to JPEG or PNG, or remove the sample from the list.";
        if (IsTiff(content))
        {
            throw new ImageDecodeException(path, "TIFF images are not supported", ConvertOrRemove);
        }

        Configuration configuration = GetConfiguration(options);
        IImageInfo info;
        IImageFormat format;
        try
        {
            using var stream = new MemoryStream(buffer, 0, length, writable: false);
            IImageInfo? identified = Image.Identify(configuration, stream, out IImageFormat? detected);
            if (identified is null || detected is null)
            {
                throw new ImageDecodeException(path, "the content is not a JPEG, PNG, BMP or GIF image", ConvertOrRemove);
            }

            info = identified;
            format = detected;
        }
        catch (Exception exception) when (IsDecoderFailure(exception))
        {
            throw new ImageDecodeException(path, $"the image header is corrupt ({exception.Message})", DownloadAgain, exception);
        }

        CheckDeclaredSize(path, info.Width, info.Height, options);

        if (format is JpegFormat && !JpegStructure.ReachesEndOfImage(content))
        {
            throw new ImageDecodeException(path, "the JPEG data ends before its end-of-image marker, so the file is truncated", DownloadAgain);
        }

        // ImageSharp 2.1 also decodes a PNG cut short without an error; a complete PNG ends with its IEND chunk.
        if (format is PngFormat && !EndsWithPngEnd(content))
        {
            throw new ImageDecodeException(path, "the PNG data has no IEND chunk at its end, so the file is truncated", DownloadAgain);
        }

        Image<Rgb24> image;
        try
        {
            using var stream = new MemoryStream(buffer, 0, length, writable: false);
            image = Image.Load<Rgb24>(configuration, stream);
        }
        catch (InvalidMemoryOperationException exception)
        {
            throw new ImageDecodeException(
                path,
                $"decoding needs a buffer over the allocator's limit of {AllocationBytesPerPixel} bytes per allowed pixel ({exception.Message})",
                "Downscale the image, or raise ImageDecodeOptions.MaxPixels if it is genuine.",
                exception);
        }
        catch (Exception exception) when (IsDecoderFailure(exception))
        {
            throw new ImageDecodeException(path, $"the {format.Name} data is corrupt ({exception.Message})", DownloadAgain, exception);
        }

        try
        {
            image.Mutate(context => context.AutoOrient());
            return image;
        }
        catch (Exception exception) when (IsDecoderFailure(exception) || exception is ImageProcessingException)
        {
            image.Dispose();
            throw new ImageDecodeException(path, $"applying the EXIF orientation failed ({exception.Message})", "Re-save the image without EXIF data or remove the sample from the list.", exception);
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    private static void CheckDeclaredSize(string path, int width, int height, ImageDecodeOptions options)
    {
        const string Downscale = "Downscale the image, or raise the limit in ImageDecodeOptions if the image is genuine.";
        if (width <= 0 || height <= 0)
        {
            throw new ImageDecodeException(path, $"the header declares a {width}x{height} image", DownloadAgain);
        }

        if (width > options.MaxDimension || height > options.MaxDimension)
        {
            throw new ImageDecodeException(
                path,
                $"the header declares {width}x{height} pixels, over the limit of {options.MaxDimension:N0} pixels per side (ImageDecodeOptions.MaxDimension)",
                Downscale);
        }

        long pixels = (long)width * height;
        if (pixels > options.MaxPixels)
        {
            throw new ImageDecodeException(
                path,
                $"the header declares {width}x{height} = {pixels:N0} pixels, over the limit of {options.MaxPixels:N0} (ImageDecodeOptions.MaxPixels)",
                Downscale);
        }
    }

    // Little-endian "II*\0" or big-endian "MM\0*", for classic and BigTIFF (43) alike.
    private static bool IsTiff(ReadOnlySpan<byte> content) =>
        content.Length >= 4
        && ((content[0] == 'I' && content[1] == 'I' && content[2] is 42 or 43 && content[3] == 0)
            || (content[0] == 'M' && content[1] == 'M' && content[2] == 0 && content[3] is 42 or 43));

    // ImageSharp reports bad data with ImageFormatException and its subclasses, but some decoders surface
    // out-of-range reads of malformed files as the runtime's own exceptions.
    private static bool IsDecoderFailure(Exception exception) =>
        exception is ImageFormatException
            or NotSupportedException
            or IOException
            or InvalidDataException
            or IndexOutOfRangeException
            or ArgumentException
            or InvalidMemoryOperationException;

    // The IEND chunk is 12 bytes: zero length, "IEND", and its fixed CRC AE 42 60 82.
    private static bool EndsWithPngEnd(ReadOnlySpan<byte> data) =>
        data.Length >= 12 && data[^12..].SequenceEqual(new byte[] { 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82 });
}
