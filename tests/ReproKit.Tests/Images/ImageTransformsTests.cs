using ReproKit.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ReproKit.Tests.Images;

public sealed class ImageTransformsTests
{
    [Theory]
    [InlineData(300, 200, 100, 150, 100)]
    [InlineData(200, 300, 100, 100, 150)]
    [InlineData(333, 200, 100, 166, 100)] // 100 x 333 / 200 = 166.5, truncated as torchvision does
    [InlineData(50, 40, 80, 100, 80)]     // upscaling
    public void Resize_ShorterSide_KeepsAspect(int width, int height, int shorterSide, int expectedWidth, int expectedHeight)
    {
        using Image<Rgb24> output = Apply(ImageTransforms.Resize(shorterSide), TestImages.Gradient(width, height, seed: 0));

        Assert.Equal(expectedWidth, output.Width);
        Assert.Equal(expectedHeight, output.Height);
    }

    [Fact]
    public void ResizeExact_AnyInput_RequestedSize()
    {
        using Image<Rgb24> output = Apply(ImageTransforms.ResizeExact(50, 40), TestImages.Gradient(123, 77, seed: 0));

        Assert.Equal(50, output.Width);
        Assert.Equal(40, output.Height);
    }

    [Fact]
    public void CenterCrop_LargerImage_TakesCentre()
    {
        using Image<Rgb24> output = Apply(ImageTransforms.CenterCrop(100, 80), TestImages.PositionCoded(300, 200));

        Assert.Equal(100, output.Width);
        Assert.Equal(80, output.Height);
        Assert.Equal(new Rgb24(100, 60, 7), output[0, 0]);
        Assert.Equal(new Rgb24(199, 139, 7), output[99, 79]);
    }

    [Fact]
    public void CenterCrop_SmallerImage_PadsWithBlack()
    {
        using Image<Rgb24> output = Apply(ImageTransforms.CenterCrop(30, 20), TestImages.PositionCoded(20, 10));

        Assert.Equal(30, output.Width);
        Assert.Equal(20, output.Height);
        Assert.Equal(new Rgb24(0, 0, 0), output[0, 0]);
        Assert.Equal(new Rgb24(0, 0, 7), output[5, 5]);
        Assert.Equal(new Rgb24(19, 9, 7), output[24, 14]);
        Assert.Equal(new Rgb24(0, 0, 0), output[25, 15]);
    }

    [Fact]
    public void RandomCrop_Padding_OffsetsWithinPadding()
    {
        var offsets = new HashSet<(int Left, int Top)>();
        for (int seed = 0; seed < 200; seed++)
        {
            using Image<Rgb24> output = Apply(ImageTransforms.RandomCrop(20, 10, padding: 2), TestImages.PositionCoded(20, 10), seed);
            Assert.Equal(20, output.Width);
            Assert.Equal(10, output.Height);

            // Source pixel (5, 5) sits at (7 - left, 7 - top) in the crop and stays inside it for any offset in [0, 4].
            int left = -1;
            int top = -1;
            for (int y = 0; y < output.Height && left < 0; y++)
            {
                for (int x = 0; x < output.Width; x++)
                {
                    if (output[x, y] == new Rgb24(5, 5, 7))
                    {
                        left = 7 - x;
                        top = 7 - y;
                        break;
                    }
                }
            }

            Assert.InRange(left, 0, 4);
            Assert.InRange(top, 0, 4);
            offsets.Add((left, top));
        }

        Assert.True(offsets.Count > 10, $"Expected many different crop positions over 200 seeds, got {offsets.Count}.");
    }

    [Fact]
    public void RandomCrop_TooSmall_ThrowsWithSizes()
    {
        var exception = Assert.Throws<InvalidOperationException>(
            () => Apply(ImageTransforms.RandomCrop(50, 50), TestImages.Gradient(40, 60, seed: 0)).Dispose());

        Assert.Contains("40x60", exception.Message);
    }

    [Fact]
    public void RandomResizedCrop_AnyImage_OutputSize()
    {
        using Image<Rgb24> output = Apply(ImageTransforms.RandomResizedCrop(64, 48), TestImages.Gradient(200, 120, seed: 0));

        Assert.Equal(64, output.Width);
        Assert.Equal(48, output.Height);
    }

    [Theory]
    [InlineData(500, 375)]
    [InlineData(375, 500)]
    [InlineData(64, 64)]
    [InlineData(1000, 10)] // every draw fails here, so the ratio-clamped central crop is used
    [InlineData(10, 1000)]
    [InlineData(1, 1)]
    public void RandomResizedCrop_Region_InsideImage(int width, int height)
    {
        var transform = (RandomResizedCropTransform)ImageTransforms.RandomResizedCrop(32, 32);
        for (int seed = 0; seed < 500; seed++)
        {
            Rectangle region = transform.SampleRegion(width, height, new Random(seed));

            Assert.True(region.Width > 0, $"Empty region {region} for {width}x{height}, seed {seed}.");
            Assert.True(region.Height > 0, $"Empty region {region} for {width}x{height}, seed {seed}.");
            Assert.True(region.Left >= 0, $"Region {region} starts left of {width}x{height}, seed {seed}.");
            Assert.True(region.Top >= 0, $"Region {region} starts above {width}x{height}, seed {seed}.");
            Assert.True(region.Right <= width, $"Region {region} ends right of {width}x{height}, seed {seed}.");
            Assert.True(region.Bottom <= height, $"Region {region} ends below {width}x{height}, seed {seed}.");
        }
    }

    [Fact]
    public void RandomResizedCrop_Draws_FollowScaleAndRatio()
    {
        var transform = (RandomResizedCropTransform)ImageTransforms.RandomResizedCrop(32, 32, minScale: 0.25, maxScale: 0.5, minRatio: 0.5, maxRatio: 2.0);
        const int Side = 1000;
        for (int seed = 0; seed < 500; seed++)
        {
            Rectangle region = transform.SampleRegion(Side, Side, new Random(seed));
            double areaFraction = (double)region.Width * region.Height / (Side * Side);
            double ratio = (double)region.Width / region.Height;

            // Rounding each side to whole pixels moves the area and the ratio by well under 1 %.
            Assert.InRange(areaFraction, 0.25 * 0.99, 0.5 * 1.01);
            Assert.InRange(ratio, 0.5 * 0.99, 2.0 * 1.01);
        }
    }

    [Fact]
    public void RandomResizedCrop_ExtremeImage_CentralFallback()
    {
        var transform = (RandomResizedCropTransform)ImageTransforms.RandomResizedCrop(32, 32);

        Rectangle region = transform.SampleRegion(1000, 10, new Random(1));

        // Width / height is clamped to 4/3: height 10 gives width round(13.33) = 13, centred.
        Assert.Equal(new Rectangle(493, 0, 13, 10), region);
    }

    [Fact]
    public void HorizontalFlip_ProbabilityOne_Mirrors()
    {
        using Image<Rgb24> output = Apply(ImageTransforms.HorizontalFlip(1.0), TestImages.PositionCoded(10, 4));

        Assert.Equal(new Rgb24(9, 0, 7), output[0, 0]);
        Assert.Equal(new Rgb24(0, 3, 7), output[9, 3]);
    }

    [Fact]
    public void HorizontalFlip_ProbabilityZero_Unchanged()
    {
        using Image<Rgb24> output = Apply(ImageTransforms.HorizontalFlip(0.0), TestImages.PositionCoded(10, 4));

        Assert.Equal(new Rgb24(0, 0, 7), output[0, 0]);
    }

    [Fact]
    public void HorizontalFlip_HalfProbability_FlipsSome()
    {
        int flipped = 0;
        for (int seed = 0; seed < 200; seed++)
        {
            using Image<Rgb24> output = Apply(ImageTransforms.HorizontalFlip(), TestImages.PositionCoded(10, 4), seed);
            flipped += output[0, 0].R == 9 ? 1 : 0;
        }

        Assert.InRange(flipped, 60, 140);
    }

    public static TheoryData<string> RandomTransforms => ["RandomCrop", "RandomResizedCrop", "HorizontalFlip"];

    [Theory]
    [MemberData(nameof(RandomTransforms))]
    public void RandomTransform_SameSeed_SamePixels(string name)
    {
        IImageTransform transform = CreateRandom(name);

        byte[] first = Pixels(Apply(transform, TestImages.Gradient(90, 70, seed: 5), seed: 42));
        byte[] second = Pixels(Apply(transform, TestImages.Gradient(90, 70, seed: 5), seed: 42));

        Assert.Equal(first, second);
    }

    [Theory]
    [MemberData(nameof(RandomTransforms))]
    public void RandomTransform_OtherSeeds_DifferentPixels(string name)
    {
        IImageTransform transform = CreateRandom(name);
        byte[] reference = Pixels(Apply(transform, TestImages.Gradient(90, 70, seed: 5), seed: 0));

        bool anyDifferent = Enumerable.Range(1, 10)
            .Any(seed => !Pixels(Apply(transform, TestImages.Gradient(90, 70, seed: 5), seed)).SequenceEqual(reference));

        Assert.True(anyDifferent, $"{name} gave the same pixels for seeds 0 to 10.");
    }

    [Fact]
    public void Factories_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageTransforms.Resize(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageTransforms.ResizeExact(10, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageTransforms.CenterCrop(0, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageTransforms.RandomCrop(10, 10, padding: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageTransforms.RandomResizedCrop(10, 10, minScale: 0.5, maxScale: 0.4));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageTransforms.RandomResizedCrop(10, 10, minRatio: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageTransforms.HorizontalFlip(1.5));
    }

    private static IImageTransform CreateRandom(string name) => name switch
    {
        "RandomCrop" => ImageTransforms.RandomCrop(40, 30, padding: 3),
        "RandomResizedCrop" => ImageTransforms.RandomResizedCrop(40, 30),
        "HorizontalFlip" => ImageTransforms.HorizontalFlip(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown random transform."),
    };

    /// <summary>Applies the transform and disposes the input when the transform returned a new image.</summary>
    private static Image<Rgb24> Apply(IImageTransform transform, Image<Rgb24> input, int seed = 0)
    {
        Image<Rgb24> output;
        try
        {
            output = transform.Apply(input, new Random(seed));
        }
        catch
        {
            input.Dispose();
            throw;
        }

        if (!ReferenceEquals(output, input))
        {
            input.Dispose();
        }

        return output;
    }

    private static byte[] Pixels(Image<Rgb24> image)
    {
        using (image)
        {
            var bytes = new byte[image.Width * image.Height * 3];
            image.CopyPixelDataTo(bytes);
            return bytes;
        }
    }
}
