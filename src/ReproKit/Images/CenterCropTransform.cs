using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ReproKit.Images;

/// <summary>
/// Cuts the central <see cref="Width"/> x <see cref="Height"/> region, padding with black first where the image
/// is smaller, as torchvision's <c>CenterCrop</c> does.
/// </summary>
internal sealed class CenterCropTransform : IImageTransform
{
    public CenterCropTransform(int width, int height)
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
        if (image.Width < Width || image.Height < Height)
        {
            int paddedWidth = Math.Max(Width, image.Width);
            int paddedHeight = Math.Max(Height, image.Height);
            image = ImageGeometry.Pad(image, (paddedWidth - image.Width) / 2, (paddedHeight - image.Height) / 2, paddedWidth, paddedHeight);
        }

        // torchvision rounds half to even (Python's round), as MidpointRounding.ToEven does.
        int left = (int)Math.Round((image.Width - Width) / 2.0, MidpointRounding.ToEven);
        int top = (int)Math.Round((image.Height - Height) / 2.0, MidpointRounding.ToEven);
        ImageGeometry.CropTo(image, new Rectangle(left, top, Width, Height));
        return image;
    }

    public override string ToString() => $"CenterCrop({Width}x{Height})";
}
