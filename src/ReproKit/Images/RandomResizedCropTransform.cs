using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ReproKit.Images;

/// <summary>
/// Cuts a region of random area and aspect ratio and scales it to <see cref="Width"/> x <see cref="Height"/>,
/// following torchvision's <c>RandomResizedCrop.get_params</c>: up to 10 attempts to draw an area fraction
/// uniformly from [<see cref="MinScale"/>, <see cref="MaxScale"/>] and a ratio log-uniformly from
/// [<see cref="MinRatio"/>, <see cref="MaxRatio"/>] that fit the image, then a central crop with the ratio
/// clamped to that range.
/// </summary>
internal sealed class RandomResizedCropTransform : IImageTransform
{
    private const int Attempts = 10;

    public RandomResizedCropTransform(int width, int height, double minScale, double maxScale, double minRatio, double maxRatio)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(minScale), $"The area fractions must satisfy 0 < minScale <= maxScale <= 1, got [{minScale}, {maxScale}].");
        }

        if (!(minRatio > 0 && minRatio <= maxRatio && double.IsFinite(maxRatio)))
        {
            throw new ArgumentOutOfRangeException(
                nameof(minRatio), $"The aspect ratios (width / height) must satisfy 0 < minRatio <= maxRatio, got [{minRatio}, {maxRatio}].");
        }

        Width = width;
        Height = height;
        MinScale = minScale;
        MaxScale = maxScale;
        MinRatio = minRatio;
        MaxRatio = maxRatio;
    }

    public int Width { get; }

    public int Height { get; }

    public double MinScale { get; }

    public double MaxScale { get; }

    public double MinRatio { get; }

    public double MaxRatio { get; }

    public Image<Rgb24> Apply(Image<Rgb24> image, Random random)
    {
        Rectangle region = SampleRegion(image.Width, image.Height, random);
        ImageGeometry.CropTo(image, region);
        ImageGeometry.ResizeTo(image, new Size(Width, Height));
        return image;
    }

    /// <summary>Draws the region to crop from an image of <paramref name="imageWidth"/> x <paramref name="imageHeight"/>.</summary>
    internal Rectangle SampleRegion(int imageWidth, int imageHeight, Random random)
    {
        double area = (double)imageWidth * imageHeight;
        double logMinRatio = Math.Log(MinRatio);
        double logMaxRatio = Math.Log(MaxRatio);

        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            double targetArea = area * Uniform(random, MinScale, MaxScale);
            double aspectRatio = Math.Exp(Uniform(random, logMinRatio, logMaxRatio));
            int width = RoundHalfEven(Math.Sqrt(targetArea * aspectRatio));
            int height = RoundHalfEven(Math.Sqrt(targetArea / aspectRatio));
            if (width > 0 && width <= imageWidth && height > 0 && height <= imageHeight)
            {
                int top = random.Next(imageHeight - height + 1);
                int left = random.Next(imageWidth - width + 1);
                return new Rectangle(left, top, width, height);
            }
        }

        return CentralFallback(imageWidth, imageHeight);
    }

    private Rectangle CentralFallback(int imageWidth, int imageHeight)
    {
        double imageRatio = (double)imageWidth / imageHeight;
        int width = imageWidth;
        int height = imageHeight;
        if (imageRatio < MinRatio)
        {
            height = Math.Max(1, RoundHalfEven(width / MinRatio));
        }
        else if (imageRatio > MaxRatio)
        {
            width = Math.Max(1, RoundHalfEven(height * MaxRatio));
        }

        return new Rectangle((imageWidth - width) / 2, (imageHeight - height) / 2, width, height);
    }

    private static double Uniform(Random random, double low, double high) => low + ((high - low) * random.NextDouble());

    // Python's round(), which torchvision uses, rounds half to even.
    private static int RoundHalfEven(double value) => (int)Math.Round(value, MidpointRounding.ToEven);

    public override string ToString() =>
        $"RandomResizedCrop({Width}x{Height}, scale [{MinScale}, {MaxScale}], ratio [{MinRatio:0.###}, {MaxRatio:0.###}])";
}
