using System.Buffers.Binary;
using System.IO.Compression;

namespace ReproKit.Tests.Data;

/// <summary>Builds IDX files, valid or damaged, for the data tests.</summary>
internal static class IdxTestFiles
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    /// <summary>Returns the content of an IDX image file whose pixel i has the value i mod 251.</summary>
    public static byte[] ImagesContent(int count, int rows, int columns)
    {
        var content = new byte[16 + (count * rows * columns)];
        WriteHeader(content, ImagesMagic, count, rows, columns);
        for (int i = 16; i < content.Length; i++)
        {
            content[i] = (byte)((i - 16) % 251);
        }

        return content;
    }

    /// <summary>Returns the content of an IDX label file containing <paramref name="labels"/>.</summary>
    public static byte[] LabelsContent(params byte[] labels)
    {
        var content = new byte[8 + labels.Length];
        WriteHeader(content, LabelsMagic, labels.Length);
        labels.CopyTo(content, 8);
        return content;
    }

    /// <summary>Writes big-endian 32-bit header fields: the magic number, then the dimension sizes.</summary>
    public static void WriteHeader(byte[] content, int magic, params int[] dimensions)
    {
        BinaryPrimitives.WriteInt32BigEndian(content, magic);
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(content.AsSpan(4 * (i + 1)), dimensions[i]);
        }
    }

    public static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return output.ToArray();
    }

    public static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
