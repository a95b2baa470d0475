using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ReproKit.Images;

/// <summary>Scales the image so its shorter side is <see cref="ShorterSide"/> pixels, keeping the aspect ratio.</summary>
internal sealed class ResizeTransform : IImageTransform
{
    public ResizeTransform(int shorterSide)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(shorterSide);
        ShorterSide = shorterSide;
    }

    public int ShorterSide { get; }

    public Image<Rgb24> Apply(Image<Rgb24> image, Random random)
    {
        ImageGeometry.ResizeTo(image, ImageGeometry.ScaleShorterSide(image.Width, image.Height, ShorterSide));
        return image;
    }

    public override string ToString() => $"Resize({ShorterSide})";
}
