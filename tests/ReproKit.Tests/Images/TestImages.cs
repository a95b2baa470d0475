using System.Buffers.Binary;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace ReproKit.Tests.Images;

/// <summary>Builds test image files with ImageSharp, or byte by byte where ImageSharp 2.1 cannot write them.</summary>
internal static class TestImages
{
    /// <summary>JPEG settings that keep solid colours within a grey level or two: quality 100, no chroma subsampling.</summary>
    public static JpegEncoder FaithfulJpeg { get; } = new() { Quality = 100, ColorType = JpegColorType.YCbCrRatio444 };

    /// <summary>Returns a solid image; the caller disposes it.</summary>
    public static Image<Rgb24> Solid(int width, int height, Rgb24 color) => new(width, height, color);

    /// <summary>
    /// Returns an image whose pixel (x, y) is (x mod 256, y mod 256, 7), so a test can read where a pixel came from.
    /// </summary>
    public static Image<Rgb24> PositionCoded(int width, int height)
    {
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                Span<Rgb24> row = accessor.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgb24((byte)(x % 256), (byte)(y % 256), 7);
                }
            }
        });
        return image;
    }

    /// <summary>Returns an image of smooth colour gradients with a per-seed offset, so random crops give distinct outputs.</summary>
    public static Image<Rgb24> Gradient(int width, int height, int seed)
    {
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                Span<Rgb24> row = accessor.GetRowSpan(y);
                for (int x = 0; x < row.Length; x++)
                {
                    row[x] = new Rgb24((byte)((x * 255 / width) ^ seed), (byte)(y * 255 / height), (byte)((x + y + (seed * 37)) % 256));
                }
            }
        });
        return image;
    }

    /// <summary>Saves <paramref name="image"/> as PNG in <paramref name="directory"/> and returns the path.</summary>
    public static string SavePng(TemporaryDirectory directory, string name, Image image, PngEncoder? encoder = null)
    {
        string path = directory.Combine(name);
        image.Save(path, encoder ?? new PngEncoder());
        return path;
    }

    /// <summary>Saves <paramref name="image"/> as JPEG (quality 100, 4:4:4 unless given) and returns the path.</summary>
    public static string SaveJpeg(TemporaryDirectory directory, string name, Image image, JpegEncoder? encoder = null)
    {
        string path = directory.Combine(name);
        image.Save(path, encoder ?? FaithfulJpeg);
        return path;
    }

    /// <summary>Returns the bytes of a JPEG-encoded <paramref name="image"/>.</summary>
    public static byte[] JpegBytes(Image image)
    {
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, FaithfulJpeg);
        return stream.ToArray();
    }

    /// <summary>
    /// Returns a PNG whose IHDR declares <paramref name="width"/> x <paramref name="height"/> 8-bit RGB pixels,
    /// followed directly by IEND: valid chunks with correct CRCs but no pixel data at all.
    /// </summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        WritePngChunk(stream, "IHDR", header);
        WritePngChunk(stream, "IEND", []);
        return stream.ToArray();
    }

    /// <summary>
    /// Returns a baseline JPEG of a solid <paramref name="width"/> x <paramref name="height"/> image with four
    /// components stored as Adobe CMYK (APP14 transform 0), built byte by byte because ImageSharp 2.1's encoder
    /// writes only greyscale, RGB and YCbCr. Values are stored inverted as Adobe writes them: 255 means no ink.
    /// Both sides must be multiples of 8.
    /// </summary>
    public static byte[] AdobeCmykJpeg(int width, int height, byte storedC, byte storedM, byte storedY, byte storedK)
    {
        if (width % 8 != 0 || height % 8 != 0)
        {
            throw new ArgumentException($"Both sides must be multiples of 8, got {width}x{height}.");
        }

        using var stream = new MemoryStream();
        stream.Write([0xFF, 0xD8]);

        // APP14 "Adobe": version 100, flags 0 and 0, transform 0 (no colour transform: plain CMYK).
        WriteJpegSegment(stream, 0xEE, [.. "Adobe"u8, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00]);

        // One quantisation table of ones, so the DC coefficient is stored exactly.
        WriteJpegSegment(stream, 0xDB, [0x00, .. Enumerable.Repeat((byte)1, 64)]);

        // SOF0: 8-bit samples, four components with ids 1..4, no subsampling, quantisation table 0.
        var frame = new List<byte> { 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 4 };
        for (byte component = 1; component <= 4; component++)
        {
            frame.AddRange([component, 0x11, 0x00]);
        }

        WriteJpegSegment(stream, 0xC0, [.. frame]);

        // DC table 0: the twelve categories 0..11, each with a 4-bit code (0000, 0001, ..., 1011).
        byte[] dcCounts = new byte[16];
        dcCounts[3] = 12;
        WriteJpegSegment(stream, 0xC4, [0x00, .. dcCounts, .. Enumerable.Range(0, 12).Select(c => (byte)c)]);

        // AC table 0: only end-of-block (symbol 0x00), with the 1-bit code 0.
        byte[] acCounts = new byte[16];
        acCounts[0] = 1;
        WriteJpegSegment(stream, 0xC4, [0x10, .. acCounts, 0x00]);

        WriteJpegSegment(stream, 0xDA, [4, 1, 0x00, 2, 0x00, 3, 0x00, 4, 0x00, 0, 63, 0]);

        // A flat block of sample s has DCT coefficient F(0,0) = 8 (s - 128) and no AC energy.
        byte[] stored = [storedC, storedM, storedY, storedK];
        var bits = new JpegBitWriter(stream);
        var previousDc = new int[4];
        int blocks = width / 8 * (height / 8);
        for (int block = 0; block < blocks; block++)
        {
            for (int component = 0; component < 4; component++)
            {
                int dc = 8 * (stored[component] - 128);
                int difference = dc - previousDc[component];
                previousDc[component] = dc;

                int category = difference == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(difference));
                bits.Write(category, 4);
                if (category > 0)
                {
                    // Negative values are written as difference + 2^category - 1 (ones' complement form).
                    bits.Write(difference > 0 ? difference : difference + (1 << category) - 1, category);
                }

                bits.Write(0, 1); // end of block
            }
        }

        bits.Flush();
        stream.Write([0xFF, 0xD9]);
        return stream.ToArray();
    }

    private static void WriteJpegSegment(Stream stream, byte marker, byte[] payload)
    {
        int length = payload.Length + 2;
        stream.Write([0xFF, marker, (byte)(length >> 8), (byte)length]);
        stream.Write(payload);
    }

    private static void WritePngChunk(Stream stream, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        stream.Write(number);

        byte[] typeAndData = [.. Encoding.ASCII.GetBytes(type), .. data];
        stream.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeAndData));
        stream.Write(number);
    }

    /// <summary>The CRC-32 that PNG chunks use (polynomial 0xEDB88320, reflected, initial and final XOR 0xFFFFFFFF).</summary>
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte value in data)
        {
            crc ^= value;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>Writes entropy-coded JPEG bits most significant first, stuffing a zero byte after each 0xFF.</summary>
    private sealed class JpegBitWriter(Stream stream)
    {
        private int _buffer;
        private int _count;

        public void Write(int value, int length)
        {
            for (int bit = length - 1; bit >= 0; bit--)
            {
                _buffer = (_buffer << 1) | ((value >> bit) & 1);
                _count++;
                if (_count == 8)
                {
                    EmitByte();
                }
            }
        }

        // Pads the last byte with 1 bits, as the JPEG standard requires.
        public void Flush()
        {
            while (_count != 0)
            {
                Write(1, 1);
            }
        }

        private void EmitByte()
        {
            stream.WriteByte((byte)_buffer);
            if (_buffer == 0xFF)
            {
                stream.WriteByte(0x00);
            }

            _buffer = 0;
            _count = 0;
        }
    }
}
