using ReproKit.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace ReproKit.Tests.Images;

public sealed class ImageDecoderTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Decode_TruncatedJpeg_Rejected()
    {
        using Image<Rgb24> source = TestImages.Gradient(64, 48, seed: 3);
        byte[] whole = TestImages.JpegBytes(source);
        string path = _directory.Write("truncated.jpg", whole[..(whole.Length / 2)]);

        ImageDecodeException exception = AssertRejected(path);

        Assert.Contains("truncated", exception.Reason);
    }

    [Fact]
    public void Decode_TruncatedPng_Rejected()
    {
        using Image<Rgb24> source = TestImages.Gradient(64, 48, seed: 5);
        string whole = TestImages.SavePng(_directory, "whole.png", source);
        byte[] bytes = File.ReadAllBytes(whole);
        string path = _directory.Write("truncated.png", bytes[..(bytes.Length * 2 / 3)]);

        ImageDecodeException exception = AssertRejected(path);

        Assert.Contains("truncated", exception.Reason);
        using Image<Rgb24> complete = ImageDecoder.Decode(whole);
        Assert.Equal(64, complete.Width);
    }

    [Fact]
    public void Decode_JpegWithTrailingBytes_Accepted()
    {
        using Image<Rgb24> source = TestImages.Solid(16, 16, new Rgb24(40, 80, 120));
        byte[] jpeg = [.. TestImages.JpegBytes(source), .. "trailing data that some cameras append"u8];
        string path = _directory.Write("trailing.jpg", jpeg);

        using Image<Rgb24> image = ImageDecoder.Decode(path);

        AssertColor(new Rgb24(40, 80, 120), image[8, 8], tolerance: 2);
    }

    [Fact]
    public void Decode_EmptyFile_Rejected()
    {
        string path = _directory.Write("empty.jpg", []);

        ImageDecodeException exception = AssertRejected(path);

        Assert.Contains("empty", exception.Reason);
    }

    [Fact]
    public void Decode_TextFileNamedJpg_Rejected()
    {
        string path = _directory.Write("notes.jpg", "This is a text file, not a photograph.\n"u8.ToArray());

        ImageDecodeException exception = AssertRejected(path);

        Assert.Contains("not a JPEG, PNG, BMP or GIF image", exception.Reason);
    }

    [Fact]
    public void Decode_MissingFile_Rejected()
    {
        string path = _directory.Combine("missing.jpg");

        ImageDecodeException exception = AssertRejected(path);

        Assert.Contains("does not exist", exception.Reason);
    }

    [Fact]
    public void Decode_HugeDeclaredPng_RejectedFromHeader()
    {
        string path = _directory.Write("huge.png", TestImages.PngHeaderOnly(100_000, 100_000));

        ImageDecodeException exception = AssertRejected(path);

        // The reason quotes the header's size, which only the header check produces: decoding this file would
        // fail with a missing-data error instead.
        Assert.Contains("header declares 100000x100000", exception.Reason);
        Assert.Contains("MaxDimension", exception.Reason);
    }

    [Fact]
    public void Decode_OverPixelLimit_RejectedFromHeader()
    {
        string path = _directory.Write("wide.png", TestImages.PngHeaderOnly(5_000, 4_000));
        var options = new ImageDecodeOptions(MaxPixels: 10_000_000);

        ImageDecodeException exception = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path, options));

        Assert.Equal(path, exception.Path);
        Assert.Contains("20,000,000 pixels", exception.Reason);
        Assert.Contains("MaxPixels", exception.Reason);
    }

    [Fact]
    public void Decode_OverFileSizeLimit_Rejected()
    {
        using Image<Rgb24> source = TestImages.Gradient(64, 64, seed: 1);
        string path = TestImages.SavePng(_directory, "big.png", source);
        var options = new ImageDecodeOptions(MaxFileBytes: 100);

        ImageDecodeException exception = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path, options));

        Assert.Contains("MaxFileBytes", exception.Reason);
        Assert.StartsWith(path + ": ", exception.Message);
    }

    [Fact]
    public void Decode_Tiff_Rejected()
    {
        using Image<Rgb24> source = TestImages.Solid(8, 8, new Rgb24(1, 2, 3));
        string path = _directory.Combine("scan.tif");
        source.Save(path, new TiffEncoder());

        ImageDecodeException exception = AssertRejected(path);

        Assert.Contains("TIFF images are not supported", exception.Reason);
    }

    [Fact]
    public void Decode_CmykJpeg_ConvertedToRgb()
    {
        // Stored inverted: C = 0 is full cyan ink, M = Y = K = 255 no ink, so the colour is pure cyan.
        string path = _directory.Write("cmyk.jpg", TestImages.AdobeCmykJpeg(16, 16, storedC: 0, storedM: 255, storedY: 255, storedK: 255));
        ImageInfoOf(path, out int bitsPerPixel);
        Assert.Equal(32, bitsPerPixel);

        using Image<Rgb24> image = ImageDecoder.Decode(path);

        Assert.Equal(16, image.Width);
        Assert.Equal(16, image.Height);
        AssertColor(new Rgb24(0, 255, 255), image[0, 0], tolerance: 1);
        AssertColor(new Rgb24(0, 255, 255), image[15, 15], tolerance: 1);
    }

    [Fact]
    public void Decode_CmykJpegWithBlack_DarkensEvenly()
    {
        // No colour ink and K stored as 127 (about half black) gives a mid grey.
        string path = _directory.Write("cmyk-grey.jpg", TestImages.AdobeCmykJpeg(8, 8, 255, 255, 255, 127));

        using Image<Rgb24> image = ImageDecoder.Decode(path);

        AssertColor(new Rgb24(127, 127, 127), image[4, 4], tolerance: 1);
    }

    [Fact]
    public void Decode_SixteenBitRgbaPng_ScaledToEightBits()
    {
        using var source = new Image<Rgba64>(12, 10, new Rgba64(0xFFFF, 0x8080, 0x0000, 0xFFFF));
        string path = TestImages.SavePng(_directory, "deep.png", source, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.RgbWithAlpha });
        ImageInfoOf(path, out int bitsPerPixel);
        Assert.Equal(64, bitsPerPixel);

        using Image<Rgb24> image = ImageDecoder.Decode(path);

        Assert.Equal(12, image.Width);
        Assert.Equal(10, image.Height);
        Assert.Equal(new Rgb24(255, 128, 0), image[5, 5]);
    }

    [Fact]
    public void Decode_SixteenBitGreyPng_ReplicatedToRgb()
    {
        using var source = new Image<L16>(9, 7, new L16(0x4040));
        string path = TestImages.SavePng(_directory, "grey16.png", source, new PngEncoder { BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Grayscale });

        using Image<Rgb24> image = ImageDecoder.Decode(path);

        Assert.Equal(new Rgb24(64, 64, 64), image[3, 3]);
    }

    [Fact]
    public void Decode_GreyPng_ReplicatedToRgb()
    {
        using var source = new Image<L8>(9, 7, new L8(77));
        string path = TestImages.SavePng(_directory, "grey.png", source, new PngEncoder { BitDepth = PngBitDepth.Bit8, ColorType = PngColorType.Grayscale });

        using Image<Rgb24> image = ImageDecoder.Decode(path);

        Assert.Equal(new Rgb24(77, 77, 77), image[8, 6]);
    }

    [Fact]
    public void Decode_GreyJpeg_ReplicatedToRgb()
    {
        using var source = new Image<L8>(16, 16, new L8(100));
        string path = TestImages.SaveJpeg(_directory, "grey.jpg", source, new JpegEncoder { Quality = 100, ColorType = JpegColorType.Luminance });
        ImageInfoOf(path, out int bitsPerPixel);
        Assert.Equal(8, bitsPerPixel);

        using Image<Rgb24> image = ImageDecoder.Decode(path);

        Rgb24 pixel = image[7, 7];
        Assert.Equal(pixel.R, pixel.G);
        Assert.Equal(pixel.R, pixel.B);
        AssertColor(new Rgb24(100, 100, 100), pixel, tolerance: 1);
    }

    [Fact]
    public void Decode_AlphaPng_DropsAlpha()
    {
        using var source = new Image<Rgba32>(6, 6, new Rgba32(10, 20, 30, 0));
        string path = TestImages.SavePng(_directory, "transparent.png", source, new PngEncoder { ColorType = PngColorType.RgbWithAlpha });

        using Image<Rgb24> image = ImageDecoder.Decode(path);

        Assert.Equal(new Rgb24(10, 20, 30), image[2, 2]);
    }

    [Fact]
    public void Decode_PalettePng_KeepsColours()
    {
        using var source = new Image<Rgb24>(20, 10, new Rgb24(200, 0, 0));
        source.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                accessor.GetRowSpan(y)[10..].Fill(new Rgb24(0, 160, 0));
            }
        });
        string path = TestImages.SavePng(_directory, "palette.png", source, new PngEncoder { ColorType = PngColorType.Palette });
        Assert.Equal(PngColorType.Palette, Image.Identify(path).Metadata.GetPngMetadata().ColorType);

        using Image<Rgb24> image = ImageDecoder.Decode(path);

        Assert.Equal(new Rgb24(200, 0, 0), image[2, 5]);
        Assert.Equal(new Rgb24(0, 160, 0), image[15, 5]);
    }

    [Fact]
    public void Decode_AnimatedGif_FirstFrameOnly()
    {
        using var source = new Image<Rgba32>(8, 8, new Rgba32(255, 0, 0));
        using var second = new Image<Rgba32>(8, 8, new Rgba32(0, 0, 255));
        source.Frames.AddFrame(second.Frames.RootFrame);
        string path = _directory.Combine("animated.gif");
        source.Save(path, new GifEncoder());
        using (Image check = Image.Load(path))
        {
            Assert.Equal(2, check.Frames.Count);
        }

        using Image<Rgb24> image = ImageDecoder.Decode(path);

        Assert.Equal(1, image.Frames.Count);
        Assert.Equal(new Rgb24(255, 0, 0), image[4, 4]);
    }

    [Fact]
    public void Decode_Bmp_Accepted()
    {
        using Image<Rgb24> source = TestImages.PositionCoded(13, 9);
        string path = _directory.Combine("picture.bmp");
        source.SaveAsBmp(path);

        using Image<Rgb24> image = ImageDecoder.Decode(path);

        Assert.Equal(13, image.Width);
        Assert.Equal(9, image.Height);
        Assert.Equal(new Rgb24(12, 8, 7), image[12, 8]);
    }

    [Fact]
    public void Decode_ExifOrientation6_RotatesClockwise()
    {
        // Stored 48 wide and 16 high, blue with a red 8x8 block in the top-left corner. Orientation 6 means
        // "rotate 90 degrees clockwise to display", which sends stored (x, y) to displayed (15 - y, x).
        using var source = new Image<Rgb24>(48, 16, new Rgb24(0, 0, 255));
        source.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < 8; y++)
            {
                accessor.GetRowSpan(y)[..8].Fill(new Rgb24(255, 0, 0));
            }
        });
        source.Metadata.ExifProfile = new ExifProfile();
        source.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        string path = TestImages.SaveJpeg(_directory, "rotated.jpg", source);

        using Image<Rgb24> image = ImageDecoder.Decode(path);

        Assert.Equal(16, image.Width);
        Assert.Equal(48, image.Height);
        AssertColor(new Rgb24(255, 0, 0), image[11, 4], tolerance: 8);
        AssertColor(new Rgb24(0, 0, 255), image[4, 4], tolerance: 8);
        AssertColor(new Rgb24(0, 0, 255), image[11, 40], tolerance: 8);
    }

    [Fact]
    public void Decode_PlainJpeg_KeepsSizeAndColour()
    {
        using Image<Rgb24> source = TestImages.Solid(24, 16, new Rgb24(250, 120, 10));
        string path = TestImages.SaveJpeg(_directory, "plain.jpg", source);

        using Image<Rgb24> image = ImageDecoder.Decode(path);

        Assert.Equal(24, image.Width);
        Assert.Equal(16, image.Height);
        AssertColor(new Rgb24(250, 120, 10), image[12, 8], tolerance: 2);
    }

    [Fact]
    public void Decode_InvalidOptions_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageDecoder.Decode("any.jpg", new ImageDecodeOptions(MaxPixels: 0)));
    }

    private static ImageDecodeException AssertRejected(string path)
    {
        ImageDecodeException exception = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(path));
        Assert.Equal(path, exception.Path);
        Assert.StartsWith($"{path}: {exception.Reason}. ", exception.Message);
        return exception;
    }

    private static void ImageInfoOf(string path, out int bitsPerPixel) =>
        bitsPerPixel = Image.Identify(path).PixelType.BitsPerPixel;

    private static void AssertColor(Rgb24 expected, Rgb24 actual, int tolerance)
    {
        Assert.True(
            Math.Abs(expected.R - actual.R) <= tolerance
            && Math.Abs(expected.G - actual.G) <= tolerance
            && Math.Abs(expected.B - actual.B) <= tolerance,
            $"Expected {expected} within {tolerance} per channel, got {actual}.");
    }
}
