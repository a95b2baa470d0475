using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ReproKit.Images;

/// <summary>Mirrors the image left to right with probability <see cref="Probability"/>.</summary>
internal sealed class HorizontalFlipTransform : IImageTransform
{
    public HorizontalFlipTransform(double probability)
    {
        if (!(probability is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "The flip probability must be in [0, 1].");
        }

        Probability = probability;
    }

    public double Probability { get; }

    public Image<Rgb24> Apply(Image<Rgb24> image, Random random)
    {
        // One draw per image whatever the probability, so the transforms after this one see the same stream.
        if (random.NextDouble() < Probability)
        {
            image.Mutate(context => context.Flip(FlipMode.Horizontal));
        }

        return image;
    }

    public override string ToString() => $"HorizontalFlip(p = {Probability})";
}
