using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ReproKit.Images;

/// <summary>One step of an <see cref="ImagePipeline"/>, such as a resize, a crop or a random flip.</summary>
/// <remarks>
/// A transform may change its input image in place and return it, or return a new image. In the
/// second case <see cref="ImagePipeline"/> disposes the input, so the transform must not keep a reference to
/// it. Every random choice must come from the <c>random</c> argument, so that a sample's output depends only
/// on the seed that <see cref="ImageBatchLoader"/> derives for it. The loader calls one transform from several
/// threads at once, so a transform must keep no per-image state in fields.
/// </remarks>
public interface IImageTransform
{
    /// <summary>Transforms <paramref name="image"/>, drawing any random choice from <paramref name="random"/>.</summary>
    Image<Rgb24> Apply(Image<Rgb24> image, Random random);
}
