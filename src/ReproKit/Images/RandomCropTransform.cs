using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ReproKit.Images;

/// <summary>
/// Pads every side with <see cref="Padding"/> black pixels, then cuts a <see cref="Width"/> x <see cref="Height"/>
/// region at a uniformly drawn position, as torchvision's <c>RandomCrop</c> does.
/// </summary>
internal sealed class RandomCropTransform : IImageTransform
{
    public RandomCropTransform(int width, int height, int padding)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        Width = width;
        Height = height;
        Padding = padding;
    }

    public int Width { get; }

    public int Height { get; }

    public int Padding { get; }

    /// <exception cref="InvalidOperationException">The padded image is smaller than the crop.</exception>
    public Image<Rgb24> Apply(Image<Rgb24> image, Random random)
    {
        if (Padding > 0)
        {
            image = ImageGeometry.Pad(image, Padding, Padding, image.Width + (2 * Padding), image.Height + (2 * Padding));
        }

        if (image.Width < Width || image.Height < Height)
        {
            throw new InvalidOperationException(
                $"{this} received a {image.Width}x{image.Height} image (after padding), smaller than the crop. "
                + "Resize before the crop or raise the padding.");
        }

        int top = random.Next(image.Height - Height + 1);
        int left = random.Next(image.Width - Width + 1);
        ImageGeometry.CropTo(image, new Rectangle(left, top, Width, Height));
        return image;
    }

    public override string ToString() => $"RandomCrop({Width}x{Height}, padding {Padding})";
}
