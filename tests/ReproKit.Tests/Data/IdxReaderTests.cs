using ReproKit.Data;

namespace ReproKit.Tests.Data;

public sealed class IdxReaderTests
{
    private const int PixelsPerImage = 28 * 28;

    private static string EmbeddedImages => RepositoryPaths.Combine("data", "fashion-mnist", "t10k-images-idx3-ubyte.gz");

    private static string EmbeddedLabels => RepositoryPaths.Combine("data", "fashion-mnist", "t10k-labels-idx1-ubyte.gz");

    [Fact]
    public void ReadImages_EmbeddedGzip()
    {
        IdxImages images = IdxReader.ReadImages(EmbeddedImages);

        Assert.Equal(10_000, images.Count);
        Assert.Equal(28, images.Rows);
        Assert.Equal(28, images.Columns);
        Assert.Equal(PixelsPerImage, images.PixelsPerImage);
        Assert.Equal(10_000 * PixelsPerImage, images.Pixels.Length);

        // Expected values computed independently with Python's gzip module on the same file.
        Assert.Equal(33_456, Sum(images.Pixels.AsSpan(0, PixelsPerImage)));
        Assert.Equal(110, images.Pixels[(14 * 28) + 14]);
        Assert.Equal(215, images.Pixels.AsSpan(0, PixelsPerImage).IndexOfAnyExcept((byte)0));
        Assert.Equal(24_390, Sum(images.Pixels.AsSpan(images.Pixels.Length - PixelsPerImage)));
        Assert.Equal(573_469_082, Sum(images.Pixels));
    }

    [Fact]
    public void ReadLabels_EmbeddedGzip()
    {
        byte[] labels = IdxReader.ReadLabels(EmbeddedLabels, 10);

        Assert.Equal(10_000, labels.Length);
        Assert.Equal(new byte[] { 9, 2, 1, 1, 6, 1, 4, 6, 5, 7 }, labels[..10]);
        for (byte label = 0; label < 10; label++)
        {
            Assert.Equal(1000, labels.Count(value => value == label));
        }
    }

    [Fact]
    public void ReadImages_RawEqualsGzip()
    {
        using var temp = new TemporaryDirectory();
        string raw = temp.Write("t10k-images-idx3-ubyte", IdxTestFiles.Gunzip(File.ReadAllBytes(EmbeddedImages)));

        IdxImages fromGzip = IdxReader.ReadImages(EmbeddedImages);
        IdxImages fromRaw = IdxReader.ReadImages(raw);

        Assert.Equal(fromGzip.Count, fromRaw.Count);
        Assert.Equal(fromGzip.Rows, fromRaw.Rows);
        Assert.Equal(fromGzip.Columns, fromRaw.Columns);
        Assert.Equal(fromGzip.Pixels, fromRaw.Pixels);
    }

    [Fact]
    public void ReadLabels_RawEqualsGzip()
    {
        using var temp = new TemporaryDirectory();
        string raw = temp.Write("t10k-labels-idx1-ubyte", IdxTestFiles.Gunzip(File.ReadAllBytes(EmbeddedLabels)));

        Assert.Equal(IdxReader.ReadLabels(EmbeddedLabels, 10), IdxReader.ReadLabels(raw, 10));
    }

    [Fact]
    public void ReadImages_RawFileNamedGz()
    {
        using var temp = new TemporaryDirectory();
        string path = temp.Write("images.gz", IdxTestFiles.ImagesContent(2, 3, 4));

        IdxImages images = IdxReader.ReadImages(path);

        Assert.Equal(2, images.Count);
        Assert.Equal(3, images.Rows);
        Assert.Equal(4, images.Columns);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (byte)i), images.Pixels);
    }

    [Fact]
    public void ReadImages_LabelFileMagic()
    {
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(EmbeddedLabels));

        Assert.Contains(EmbeddedLabels, error.Message);
        Assert.Contains("expected magic number 0x00000803, found 0x00000801", error.Message);
        Assert.Contains("swapped", error.Message);
    }

    [Fact]
    public void ReadLabels_UnknownMagic()
    {
        using var temp = new TemporaryDirectory();
        byte[] content = IdxTestFiles.LabelsContent(1, 2, 3);
        IdxTestFiles.WriteHeader(content, 0x00000901, 3);
        string path = temp.Write("labels", content);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path, 10));

        Assert.Contains(path, error.Message);
        Assert.Contains("expected magic number 0x00000801, found 0x00000901", error.Message);
        Assert.Contains("fetch-fashion-mnist.sh", error.Message);
    }

    [Fact]
    public void ReadImages_TruncatedGzip()
    {
        using var temp = new TemporaryDirectory();
        byte[] compressed = File.ReadAllBytes(EmbeddedImages);
        string path = temp.Write("truncated.gz", compressed[..(compressed.Length / 2)]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("is truncated: expected 7840016 bytes after decompression, found ", error.Message);
        Assert.Contains("fetch-fashion-mnist.sh", error.Message);
    }

    [Fact]
    public void ReadImages_TruncatedRaw()
    {
        using var temp = new TemporaryDirectory();
        byte[] content = IdxTestFiles.ImagesContent(3, 28, 28);
        string path = temp.Write("truncated", content[..^100]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("is truncated: expected 2368 bytes, found 2268.", error.Message);
    }

    [Fact]
    public void ReadLabels_TruncatedHeader()
    {
        using var temp = new TemporaryDirectory();
        string path = temp.Write("header", IdxTestFiles.LabelsContent(1, 2)[..5]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path, 10));

        Assert.Contains(path, error.Message);
        Assert.Contains("it contains 5 bytes, fewer than the 8-byte IDX header", error.Message);
    }

    [Fact]
    public void ReadImages_TrailingBytesRaw()
    {
        using var temp = new TemporaryDirectory();
        string path = temp.Write("trailing", [.. IdxTestFiles.ImagesContent(3, 28, 28), 1, 2, 3, 4, 5]);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("has 5 trailing bytes: expected 2368 bytes, found 2373.", error.Message);
    }

    [Fact]
    public void ReadLabels_TrailingBytesGzip()
    {
        using var temp = new TemporaryDirectory();
        byte[] content = [.. IdxTestFiles.LabelsContent(1, 2, 3), 7];
        string path = temp.Write("trailing.gz", IdxTestFiles.Gzip(content));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path, 10));

        Assert.Contains(path, error.Message);
        Assert.Contains("has 1 trailing bytes: expected 11 bytes after decompression, found 12.", error.Message);
    }

    [Fact]
    public void ReadLabels_OutOfRange()
    {
        using var temp = new TemporaryDirectory();
        string path = temp.Write("labels", IdxTestFiles.LabelsContent(1, 10, 3, 12, 9));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path, 10));

        Assert.Contains(path, error.Message);
        Assert.Contains("contains 2 labels outside [0, 10). The first is 10 at index 1.", error.Message);
    }

    [Fact]
    public void ReadLabels_ClassCountOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IdxReader.ReadLabels(EmbeddedLabels, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => IdxReader.ReadLabels(EmbeddedLabels, 257));
    }

    [Fact]
    public void ReadImages_ZeroRows()
    {
        using var temp = new TemporaryDirectory();
        byte[] content = IdxTestFiles.ImagesContent(2, 1, 4);
        IdxTestFiles.WriteHeader(content, IdxTestFiles.ImagesMagic, 2, 0, 4);
        string path = temp.Write("images", content);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("the row count is 0, but it must be positive", error.Message);
    }

    [Fact]
    public void ReadImages_TooLargeForArray()
    {
        using var temp = new TemporaryDirectory();
        byte[] content = IdxTestFiles.ImagesContent(1, 1, 1);
        IdxTestFiles.WriteHeader(content, IdxTestFiles.ImagesMagic, 100_000, 1000, 1000);
        string path = temp.Write("images", content);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("more than one .NET array can contain", error.Message);
    }

    [Fact]
    public void ReadImages_CorruptGzip()
    {
        using var temp = new TemporaryDirectory();
        byte[] compressed = IdxTestFiles.Gzip(IdxTestFiles.ImagesContent(3, 28, 28));
        // Byte 10 is the first deflate block header (RFC 1951): 0b111 sets BFINAL and the reserved BTYPE 11,
        // which every inflater rejects.
        compressed[10] = 0b111;
        string path = temp.Write("corrupt.gz", compressed);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("could not be decompressed", error.Message);
        Assert.Contains("fetch-fashion-mnist.sh", error.Message);
        Assert.IsType<InvalidDataException>(error.InnerException);
    }

    [Fact]
    public void ReadImages_MissingFile()
    {
        using var temp = new TemporaryDirectory();
        string path = temp.Combine("absent-images-idx3-ubyte.gz");

        var error = Assert.Throws<FileNotFoundException>(() => IdxReader.ReadImages(path));

        Assert.Equal(path, error.FileName);
        Assert.Contains(path, error.Message);
        Assert.Contains("fetch-fashion-mnist.sh", error.Message);
    }

    private static long Sum(ReadOnlySpan<byte> values)
    {
        long total = 0;
        foreach (byte value in values)
        {
            total += value;
        }

        return total;
    }
}
