using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ReproKit.Images;

/// <summary>
/// Turns an <see cref="ImageSample"/> into a normalised float32 CHW array: decode, crop the sample's box
/// (with its context margin), apply the transforms in order, check the size, scale to [0, 1] and normalise.
/// </summary>
/// <remarks>
/// With a decode cache (see <see cref="ImageBatchLoader"/>), the cropped image is first scaled down so its shorter
/// side is <see cref="CacheShorterSide"/>, and the transforms run on that smaller image whether it came from the
/// cache or from a fresh decode. Without a cache nothing is scaled before the transforms.
/// </remarks>
public sealed class ImagePipeline
{
    /// <summary>Channels per output image (R, G, B).</summary>
    public const int Channels = 3;

    // Standard ImageNet evaluation resizes to 256 before a 224 central crop, and the cache keeps that margin.
    private const int EvaluationResize = 256;
    private const int EvaluationCrop = 224;

    private readonly IImageTransform[] _transforms;
    private readonly float[][] _normalizedValues;

    /// <summary>Creates a pipeline and checks its settings.</summary>
    /// <param name="transforms">Applied in order to the cropped image. Together they must produce <paramref name="outputWidth"/> x <paramref name="outputHeight"/>.</param>
    /// <param name="outputWidth">Output width in pixels.</param>
    /// <param name="outputHeight">Output height in pixels.</param>
    /// <param name="normalization">Per-channel mean and standard deviation, three values each.</param>
    /// <param name="decode">Decoder limits, or null for <see cref="ImageDecodeOptions.Default"/>.</param>
    public ImagePipeline(
        IReadOnlyList<IImageTransform> transforms,
        int outputWidth,
        int outputHeight,
        Normalization normalization,
        ImageDecodeOptions? decode = null)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputHeight);
        ArgumentNullException.ThrowIfNull(normalization);
        decode ??= ImageDecodeOptions.Default;
        ImageDecoder.Validate(decode);

        _transforms = [.. transforms];
        for (int i = 0; i < _transforms.Length; i++)
        {
            if (_transforms[i] is null)
            {
                throw new ArgumentException($"Transform {i} is null. Pass only transforms, for example from ImageTransforms.", nameof(transforms));
            }
        }

        _normalizedValues = BuildNormalizedValues(normalization);
        OutputWidth = outputWidth;
        OutputHeight = outputHeight;
        Normalization = normalization;
        DecodeOptions = decode;
        CacheShorterSide = DeriveCacheShorterSide(_transforms);
    }

    /// <summary>The transforms, in the order they are applied.</summary>
    public IReadOnlyList<IImageTransform> Transforms => _transforms;

    /// <summary>Output width in pixels.</summary>
    public int OutputWidth { get; }

    /// <summary>Output height in pixels.</summary>
    public int OutputHeight { get; }

    /// <summary>The normalisation applied to the output, as passed in.</summary>
    public Normalization Normalization { get; }

    /// <summary>Decoder limits.</summary>
    public ImageDecodeOptions DecodeOptions { get; }

    /// <summary>Floats per processed image: 3 x <see cref="OutputHeight"/> x <see cref="OutputWidth"/>.</summary>
    public int SampleLength => Channels * OutputHeight * OutputWidth;

    /// <summary>
    /// Shorter side, in pixels, that a decode cache scales cropped images down to (never up), or null to store
    /// them at full resolution. It comes from the first transform that sets the scale, skipping flips.
    /// <c>Resize(s)</c> gives s, so the output equals that of an uncached run. <c>ResizeExact(w, h)</c> gives
    /// max(w, h). <c>RandomResizedCrop(w, h)</c> gives max(w, h) x 256 / 224 rounded up (256 for 224), the
    /// usual ImageNet resize margin, so random crops are cut from that smaller image and differ slightly from
    /// an uncached run. A crop or a custom transform first gives null, because it works on original pixels.
    /// </summary>
    public int? CacheShorterSide { get; }

    /// <summary>
    /// Creates the usual training pipeline: <c>RandomResizedCrop(size, size)</c> with torchvision's default
    /// ranges, then <c>HorizontalFlip(0.5)</c>.
    /// </summary>
    public static ImagePipeline ForTraining(int size, Normalization normalization)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        return new ImagePipeline(
            [ImageTransforms.RandomResizedCrop(size, size), ImageTransforms.HorizontalFlip()],
            size,
            size,
            normalization);
    }

    /// <summary>
    /// Creates the usual evaluation pipeline: <c>Resize(size x 256 / 224)</c> (integer division, 256 for 224)
    /// and <c>CenterCrop(size, size)</c>.
    /// </summary>
    public static ImagePipeline ForEvaluation(int size, Normalization normalization)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        return new ImagePipeline(
            [ImageTransforms.Resize(size * EvaluationResize / EvaluationCrop), ImageTransforms.CenterCrop(size, size)],
            size,
            size,
            normalization);
    }

    /// <summary>
    /// Decodes <paramref name="sample"/>, crops its box, applies the transforms with <paramref name="random"/>
    /// and returns <see cref="SampleLength"/> floats in CHW order.
    /// </summary>
    /// <exception cref="ImageDecodeException">The file cannot be decoded, or its box lies outside the image or is invalid.</exception>
    /// <exception cref="InvalidOperationException">The transforms did not produce <see cref="OutputWidth"/> x <see cref="OutputHeight"/>.</exception>
    public float[] Process(ImageSample sample, Random random)
    {
        var output = new float[SampleLength];
        Process(sample, random, output, 0, cache: null);
        return output;
    }

    /// <summary>Processes into <paramref name="destination"/> from <paramref name="offset"/>, reading and filling <paramref name="cache"/> if given.</summary>
    internal void Process(ImageSample sample, Random random, float[] destination, int offset, DecodedImageCache? cache)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(random);

        Image<Rgb24> image = cache is null ? LoadCropped(sample) : cache.GetOrCreate(sample, this);
        try
        {
            foreach (IImageTransform transform in _transforms)
            {
                Image<Rgb24> next = transform.Apply(image, random)
                    ?? throw new InvalidOperationException($"Transform {transform} returned null for '{sample.Path}'. A transform must return an image.");
                if (!ReferenceEquals(next, image))
                {
                    image.Dispose();
                    image = next;
                }
            }

            if (image.Width != OutputWidth || image.Height != OutputHeight)
            {
                throw new InvalidOperationException(
                    $"The transforms [{string.Join(", ", _transforms.Select(t => t.ToString()))}] produced a {image.Width}x{image.Height} image "
                    + $"from '{sample.Path}', but the pipeline's output size is {OutputWidth}x{OutputHeight}. "
                    + $"End the transforms with a crop or ResizeExact to {OutputWidth}x{OutputHeight}.");
            }

            WriteNormalizedChw(image, destination, offset);
        }
        finally
        {
            image.Dispose();
        }
    }

    /// <summary>Decodes the sample and crops its box. The caller disposes the result.</summary>
    internal Image<Rgb24> LoadCropped(ImageSample sample)
    {
        Image<Rgb24> image = ImageDecoder.Decode(sample.Path, DecodeOptions);
        if (sample.Box is null)
        {
            return image;
        }

        try
        {
            ImageGeometry.CropTo(image, ResolveBox(sample.Path, sample.Box, image.Width, image.Height));
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>Decodes and crops the sample, then scales it down to <see cref="CacheShorterSide"/>. The caller disposes the result.</summary>
    internal Image<Rgb24> LoadForCache(ImageSample sample)
    {
        Image<Rgb24> image = LoadCropped(sample);
        if (CacheShorterSide is int shorterSide && Math.Min(image.Width, image.Height) > shorterSide)
        {
            try
            {
                ImageGeometry.ResizeTo(image, ImageGeometry.ScaleShorterSide(image.Width, image.Height, shorterSide));
            }
            catch
            {
                image.Dispose();
                throw;
            }
        }

        return image;
    }

    /// <summary>
    /// Returns the pixel rectangle that <paramref name="box"/>, widened by its context and clipped to the image,
    /// touches: edges are rounded outwards.
    /// </summary>
    /// <exception cref="ImageDecodeException">The box is not finite, is empty, has a negative context, or lies outside the image.</exception>
    internal static Rectangle ResolveBox(string path, CropBox box, int imageWidth, int imageHeight)
    {
        const string FixAnnotation = "Fix the sample's box, which is in pixels of the EXIF-oriented image.";
        bool finite = double.IsFinite(box.XMin) && double.IsFinite(box.YMin) && double.IsFinite(box.XMax)
            && double.IsFinite(box.YMax) && double.IsFinite(box.Context);
        if (!finite || box.XMax <= box.XMin || box.YMax <= box.YMin || box.Context < 0)
        {
            throw new ImageDecodeException(path, $"the box {box} is invalid: it needs finite values, XMax > XMin, YMax > YMin and Context >= 0", FixAnnotation);
        }

        double marginX = box.Context * (box.XMax - box.XMin);
        double marginY = box.Context * (box.YMax - box.YMin);
        double left = Math.Max(0, Math.Floor(box.XMin - marginX));
        double top = Math.Max(0, Math.Floor(box.YMin - marginY));
        double right = Math.Min(imageWidth, Math.Ceiling(box.XMax + marginX));
        double bottom = Math.Min(imageHeight, Math.Ceiling(box.YMax + marginY));
        if (right <= left || bottom <= top)
        {
            throw new ImageDecodeException(path, $"the box {box} lies outside the {imageWidth}x{imageHeight} image", FixAnnotation);
        }

        return Rectangle.FromLTRB((int)left, (int)top, (int)right, (int)bottom);
    }

    private void WriteNormalizedChw(Image<Rgb24> image, float[] destination, int offset)
    {
        int width = image.Width;
        int planeLength = width * image.Height;
        float[] red = _normalizedValues[0];
        float[] green = _normalizedValues[1];
        float[] blue = _normalizedValues[2];

        image.ProcessPixelRows(accessor =>
        {
            for (int y = 0; y < accessor.Height; y++)
            {
                Span<Rgb24> row = accessor.GetRowSpan(y);
                Span<float> redRow = destination.AsSpan(offset + (y * width), width);
                Span<float> greenRow = destination.AsSpan(offset + planeLength + (y * width), width);
                Span<float> blueRow = destination.AsSpan(offset + (2 * planeLength) + (y * width), width);
                for (int x = 0; x < row.Length; x++)
                {
                    Rgb24 pixel = row[x];
                    redRow[x] = red[pixel.R];
                    greenRow[x] = green[pixel.G];
                    blueRow[x] = blue[pixel.B];
                }
            }
        });
    }

    /// <summary>Precomputes (v / 255 - mean) / std for every 8-bit value v of each channel.</summary>
    private static float[][] BuildNormalizedValues(Normalization normalization)
    {
        if (normalization.Mean is not { Length: Channels } mean || normalization.Std is not { Length: Channels } std)
        {
            throw new ArgumentException(
                $"The normalisation needs {Channels} means and {Channels} standard deviations (R, G, B), got {normalization.Mean?.Length ?? 0} and {normalization.Std?.Length ?? 0}.",
                nameof(normalization));
        }

        var values = new float[Channels][];
        for (int channel = 0; channel < Channels; channel++)
        {
            if (!float.IsFinite(mean[channel]) || !float.IsFinite(std[channel]) || std[channel] <= 0)
            {
                throw new ArgumentException(
                    $"Channel {channel} has mean {mean[channel]} and standard deviation {std[channel]}; both must be finite and the deviation greater than 0.",
                    nameof(normalization));
            }

            values[channel] = new float[256];
            for (int value = 0; value < 256; value++)
            {
                values[channel][value] = ((value / 255f) - mean[channel]) / std[channel];
            }
        }

        return values;
    }

    private static int? DeriveCacheShorterSide(IEnumerable<IImageTransform> transforms)
    {
        foreach (IImageTransform transform in transforms)
        {
            switch (transform)
            {
                case HorizontalFlipTransform:
                    continue;
                case ResizeTransform resize:
                    return resize.ShorterSide;
                case ResizeExactTransform exact:
                    return Math.Max(exact.Width, exact.Height);
                case RandomResizedCropTransform randomResizedCrop:
                    int longer = Math.Max(randomResizedCrop.Width, randomResizedCrop.Height);
                    return ((longer * EvaluationResize) + EvaluationCrop - 1) / EvaluationCrop;
                default:
                    return null;
            }
        }

        return null;
    }
}
