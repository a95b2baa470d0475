using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ReproKit.Images;

/// <summary>Scales the image to exactly <see cref="Width"/> x <see cref="Height"/>, ignoring its aspect ratio.</summary>
internal sealed class ResizeExactTransform : IImageTransform
{
    public ResizeExactTransform(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
    }

    public int Width { get; }

    public int Height { get; }

    public Image<Rgb24> Apply(Image<Rgb24> image, Random random)
    {
        ImageGeometry.ResizeTo(image, new Size(Width, Height));
        return image;
    }

    public override string ToString() => $"ResizeExact({Width}x{Height})";
}
