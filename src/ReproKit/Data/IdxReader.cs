using System.Buffers.Binary;

namespace ReproKit.Data;

/// <summary>
/// Reads IDX files of unsigned bytes, the format of MNIST and Fashion-MNIST, either gzip-compressed or raw.
/// Every header field is a big-endian 32-bit integer. The first one is the magic number 0x00000803 for images
/// (type 0x08 = unsigned byte, 3 dimensions) or 0x00000801 for labels (1 dimension); the dimension sizes follow.
/// </summary>
public static class IdxReader
{
    /// <summary>IDX magic number of an unsigned-byte file with 3 dimensions (count, rows, columns).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>IDX magic number of an unsigned-byte file with 1 dimension (count).</summary>
    public const int LabelsMagic = 0x00000801;

    private const int ImagesHeaderLength = 16;
    private const int LabelsHeaderLength = 8;

    /// <summary>
    /// Reads an IDX image file: the header (magic, count, rows, columns) and Count * Rows * Columns pixel bytes.
    /// </summary>
    /// <param name="path">A gzip-compressed or raw IDX file. Gzip is detected by its magic bytes 1f 8b.</param>
    /// <returns>The images, with pixels in row-major order.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The gzip stream is corrupt, the magic number is not 0x00000803, a dimension is not positive, the pixels
    /// would not fit in one .NET array (<see cref="Array.MaxLength"/> bytes), or the content is shorter or
    /// longer than the header announces.
    /// </exception>
    public static IdxImages ReadImages(string path)
    {
        using var content = DataFileContent.Open(path, out bool isGzip);
        Span<byte> header = stackalloc byte[ImagesHeaderLength];
        ReadHeader(content, header, path, isGzip);
        CheckMagic(header, ImagesMagic, path);

        int count = ReadDimension(header, 1, "image count", path);
        int rows = ReadDimension(header, 2, "row count", path);
        int columns = ReadDimension(header, 3, "column count", path);

        long pixelCount = (long)count * rows * columns;
        if (pixelCount > Array.MaxLength)
        {
            throw new InvalidDataException(
                $"'{Path.GetFullPath(path)}' announces {count} images of {rows}x{columns} pixels, {pixelCount} bytes in all, which is more than one .NET array can contain ({Array.MaxLength} bytes). The header is corrupt, or the file must be split. {DataFileContent.RepairAdvice}");
        }

        var pixels = new byte[pixelCount];
        ReadPayload(content, pixels, ImagesHeaderLength, path, isGzip);
        return new IdxImages(count, rows, columns, pixels);
    }

    /// <summary>
    /// Reads an IDX label file: the header (magic, count) and one byte per label.
    /// </summary>
    /// <param name="path">A gzip-compressed or raw IDX file. Gzip is detected by its magic bytes 1f 8b.</param>
    /// <param name="classCount">Number of classes, 1 to 256. Every label must lie in [0, classCount).</param>
    /// <returns>The labels, one byte each.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is outside 1 to 256.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The gzip stream is corrupt, the magic number is not 0x00000801, the count is not positive, the content is
    /// shorter or longer than the header announces, or a label is not below <paramref name="classCount"/>.
    /// </exception>
    public static byte[] ReadLabels(string path, int classCount)
    {
        // A label is one unsigned byte, so more than 256 classes cannot be stored in this format.
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(classCount, 256);

        using var content = DataFileContent.Open(path, out bool isGzip);
        Span<byte> header = stackalloc byte[LabelsHeaderLength];
        ReadHeader(content, header, path, isGzip);
        CheckMagic(header, LabelsMagic, path);

        int count = ReadDimension(header, 1, "label count", path);
        var labels = new byte[count];
        ReadPayload(content, labels, LabelsHeaderLength, path, isGzip);
        CheckLabelRange(labels, classCount, path);
        return labels;
    }

    private static void ReadHeader(Stream content, Span<byte> header, string path, bool isGzip)
    {
        int read = DataFileContent.ReadFully(content, header, path);
        if (read < header.Length)
        {
            throw new InvalidDataException(
                $"'{Path.GetFullPath(path)}' is truncated: it contains {read} bytes{AfterDecompression(isGzip)}, fewer than the {header.Length}-byte IDX header. {DataFileContent.RepairAdvice}");
        }
    }

    private static void CheckMagic(ReadOnlySpan<byte> header, int expected, string path)
    {
        int found = BinaryPrimitives.ReadInt32BigEndian(header);
        if (found == expected)
        {
            return;
        }

        string kind = expected == ImagesMagic ? "image" : "label";
        string hint = found switch
        {
            LabelsMagic => "It is an IDX label file, so check that the image and label paths are not swapped.",
            ImagesMagic => "It is an IDX image file, so check that the image and label paths are not swapped.",
            _ => $"The file is corrupt or in another format. {DataFileContent.RepairAdvice}",
        };
        throw new InvalidDataException(
            $"'{Path.GetFullPath(path)}' is not an IDX {kind} file: expected magic number 0x{expected:X8}, found 0x{found:X8}. {hint}");
    }

    private static int ReadDimension(ReadOnlySpan<byte> header, int index, string name, string path)
    {
        int value = BinaryPrimitives.ReadInt32BigEndian(header[(index * 4)..]);
        if (value <= 0)
        {
            throw new InvalidDataException(
                $"'{Path.GetFullPath(path)}' has an invalid IDX header: the {name} is {value}, but it must be positive. {DataFileContent.RepairAdvice}");
        }

        return value;
    }

    private static void ReadPayload(Stream content, byte[] payload, int headerLength, string path, bool isGzip)
    {
        long expectedTotal = headerLength + (long)payload.Length;
        int read = DataFileContent.ReadFully(content, payload, path);
        if (read < payload.Length)
        {
            throw new InvalidDataException(
                $"'{Path.GetFullPath(path)}' is truncated: expected {expectedTotal} bytes{AfterDecompression(isGzip)}, found {headerLength + (long)read}. {DataFileContent.RepairAdvice}");
        }

        long trailing = DataFileContent.CountRemaining(content, path);
        if (trailing > 0)
        {
            throw new InvalidDataException(
                $"'{Path.GetFullPath(path)}' has {trailing} trailing bytes: expected {expectedTotal} bytes{AfterDecompression(isGzip)}, found {expectedTotal + trailing}. The header does not match the data, so the file is corrupt. {DataFileContent.RepairAdvice}");
        }
    }

    private static void CheckLabelRange(byte[] labels, int classCount, string path)
    {
        int firstBadIndex = -1;
        int badCount = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < classCount)
            {
                continue;
            }

            if (firstBadIndex < 0)
            {
                firstBadIndex = i;
            }

            badCount++;
        }

        if (badCount > 0)
        {
            throw new InvalidDataException(
                $"'{Path.GetFullPath(path)}' contains {badCount} labels outside [0, {classCount}). The first is {labels[firstBadIndex]} at index {firstBadIndex}. The file is corrupt or belongs to a data set with more classes. {DataFileContent.RepairAdvice}");
        }
    }

    private static string AfterDecompression(bool isGzip) => isGzip ? " after decompression" : "";
}
