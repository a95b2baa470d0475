using ReproKit.Images;

namespace ReproKit.Reproduction;

/// <summary>How images are read for training: size, parallel decoding, the decoded-image cache, and bad files.</summary>
/// <param name="ImageSize">Side of the square input in pixels (VGG-16 takes 224, as Cao, Gu and Huang use it; the compact backbone accepts the whole allowed range, 16 to 1024).</param>
/// <param name="Workers">Decoding threads; 0 for one per processor.</param>
/// <param name="Prefetch">Batches decoded ahead of the model.</param>
/// <param name="BadImages">Stop at the first unreadable image (Error) or leave it out, count it and list it in the run's log (Skip).</param>
/// <param name="CacheDirectory">Folder for decoded, resized images, so later epochs skip JPEG decoding; null for no cache.</param>
public sealed record ImageLoadingOptions(int ImageSize = 224, int Workers = 0, int Prefetch = 2, BadImagePolicy BadImages = BadImagePolicy.Error, string? CacheDirectory = null)
{
    /// <summary>Throws an error naming the first invalid setting.</summary>
    public void Validate()
    {
        if (ImageSize is < 16 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(ImageSize), $"The image size is {ImageSize} pixels, but it must be between 16 and 1024 (224 for VGG-16 at the paper's scale).");
        }

        if (Workers < 0 || Prefetch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Workers), $"Workers is {Workers} and prefetch is {Prefetch}; workers must be 0 (one per processor) or more, and prefetch 1 or more.");
        }
    }
}
