using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.Processing.Processors.Transforms;

namespace ReproKit.Images;

/// <summary>Size arithmetic and pixel operations shared by the built-in transforms and the decode cache.</summary>
internal static class ImageGeometry
{
    /// <summary>
    /// The resampler for every resize: bilinear, widened when downscaling so it averages all covered pixels,
    /// which is what torchvision's default (bilinear with antialiasing) does.
    /// </summary>
    public static IResampler Resampler => KnownResamplers.Triangle;

    /// <summary>
    /// Returns the size with the shorter side equal to <paramref name="shorterSide"/> and the longer side
    /// scaled and truncated, as torchvision's <c>Resize(int)</c> computes it.
    /// </summary>
    public static Size ScaleShorterSide(int width, int height, int shorterSide)
    {
        if (width <= height)
        {
            return new Size(shorterSide, (int)((double)shorterSide * height / width));
        }

        return new Size((int)((double)shorterSide * width / height), shorterSide);
    }

    /// <summary>Resizes in place unless the image already has the requested size.</summary>
    public static void ResizeTo(Image<Rgb24> image, Size size)
    {
        if (image.Width != size.Width || image.Height != size.Height)
        {
            image.Mutate(context => context.Resize(size.Width, size.Height, Resampler));
        }
    }

    /// <summary>Crops in place unless the rectangle is the whole image.</summary>
    public static void CropTo(Image<Rgb24> image, Rectangle rectangle)
    {
        if (rectangle != image.Bounds())
        {
            image.Mutate(context => context.Crop(rectangle));
        }
    }

    /// <summary>
    /// Returns a new black image of <paramref name="width"/> x <paramref name="height"/> with
    /// <paramref name="source"/> copied to (<paramref name="left"/>, <paramref name="top"/>).
    /// </summary>
    public static Image<Rgb24> Pad(Image<Rgb24> source, int left, int top, int width, int height)
    {
        var target = new Image<Rgb24>(source.GetConfiguration(), width, height, new Rgb24(0, 0, 0));
        source.ProcessPixelRows(target, (sourceRows, targetRows) =>
        {
            for (int y = 0; y < sourceRows.Height; y++)
            {
                sourceRows.GetRowSpan(y).CopyTo(targetRows.GetRowSpan(top + y)[left..]);
            }
        });
        return target;
    }
}
