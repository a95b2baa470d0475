using ReproKit.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ReproKit.Tests.Images;

public sealed class ImagePipelineTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Process_SolidColour_NormalisedPerChannel()
    {
        var color = new Rgb24(200, 100, 50);
        using Image<Rgb24> source = TestImages.Solid(40, 30, color);
        string path = TestImages.SavePng(_directory, "solid.png", source);
        Normalization imageNet = Normalization.ImageNet;
        var pipeline = new ImagePipeline([ImageTransforms.CenterCrop(20, 16)], 20, 16, imageNet);

        float[] output = pipeline.Process(new ImageSample(path, Label: 0), new Random(0));

        Assert.Equal(3 * 20 * 16, output.Length);
        byte[] values = [color.R, color.G, color.B];
        for (int channel = 0; channel < 3; channel++)
        {
            float expected = ((values[channel] / 255f) - imageNet.Mean[channel]) / imageNet.Std[channel];
            for (int i = channel * 320; i < (channel + 1) * 320; i++)
            {
                Assert.Equal(expected, output[i], 6);
            }
        }
    }

    [Fact]
    public void Process_NoNormalisation_UnitRange()
    {
        using Image<Rgb24> source = TestImages.Solid(8, 8, new Rgb24(255, 0, 51));
        string path = TestImages.SavePng(_directory, "unit.png", source);
        var pipeline = new ImagePipeline([], 8, 8, Normalization.None);

        float[] output = pipeline.Process(new ImageSample(path, 0), new Random(0));

        Assert.Equal(1f, output[0]);
        Assert.Equal(0f, output[64]);
        Assert.Equal(0.2f, output[128], 6);
    }

    [Fact]
    public void Process_BoxWithContext_CropsWidenedBox()
    {
        string path = SavePositionCoded(100, 80);
        // Box 40x40 at (20, 10); a context of 0.25 adds 10 pixels per side, and the top is clipped at 0.
        var sample = new ImageSample(path, 0, new CropBox(20, 10, 60, 50, Context: 0.25));
        var pipeline = new ImagePipeline([], 60, 60, Normalization.None);

        float[] output = pipeline.Process(sample, new Random(0));

        Assert.Equal((10, 0), PositionAt(output, 60, 60, x: 0, y: 0));
        Assert.Equal((69, 59), PositionAt(output, 60, 60, x: 59, y: 59));
    }

    [Theory]
    [InlineData(20.5, 10.2, 30.7, 20.9, 0, 20, 10, 31, 21)]  // fractional edges rounded outwards
    [InlineData(0, 0, 10, 10, 1.0, 0, 0, 20, 20)]              // context clipped at the top-left corner
    [InlineData(90, 70, 100, 80, 0.5, 85, 65, 100, 80)]        // context clipped at the bottom-right corner
    [InlineData(-5, -5, 10, 10, 0, 0, 0, 10, 10)]              // box partly outside the image
    public void ResolveBox_Cases_PixelRectangle(double xMin, double yMin, double xMax, double yMax, double context, int left, int top, int right, int bottom)
    {
        Rectangle rectangle = ImagePipeline.ResolveBox("image.jpg", new CropBox(xMin, yMin, xMax, yMax, context), 100, 80);

        Assert.Equal(Rectangle.FromLTRB(left, top, right, bottom), rectangle);
    }

    [Theory]
    [InlineData(10, 10, 5, 20, 0)]     // XMax < XMin
    [InlineData(10, 10, 20, 10, 0)]    // empty height
    [InlineData(10, 10, 20, 20, -0.1)] // negative context
    [InlineData(double.NaN, 10, 20, 20, 0)]
    [InlineData(150, 10, 160, 20, 0)]  // right of the image
    public void Process_BadBox_RejectedWithPath(double xMin, double yMin, double xMax, double yMax, double context)
    {
        string path = SavePositionCoded(100, 80);
        var pipeline = new ImagePipeline([], 10, 10, Normalization.None);
        var sample = new ImageSample(path, 0, new CropBox(xMin, yMin, xMax, yMax, context));

        ImageDecodeException exception = Assert.Throws<ImageDecodeException>(() => pipeline.Process(sample, new Random(0)));

        Assert.Equal(path, exception.Path);
        Assert.Contains("box", exception.Reason);
    }

    [Fact]
    public void Process_WrongOutputSize_ThrowsWithSizes()
    {
        string path = SavePositionCoded(100, 80);
        var pipeline = new ImagePipeline([ImageTransforms.Resize(50)], 50, 50, Normalization.None);

        var exception = Assert.Throws<InvalidOperationException>(() => pipeline.Process(new ImageSample(path, 0), new Random(0)));

        Assert.Contains("62x50", exception.Message);
        Assert.Contains("50x50", exception.Message);
        Assert.Contains(path, exception.Message);
    }

    [Fact]
    public void Process_TrainingPipeline_DeterministicPerSeed()
    {
        using Image<Rgb24> source = TestImages.Gradient(120, 90, seed: 2);
        string path = TestImages.SavePng(_directory, "gradient.png", source);
        ImagePipeline pipeline = ImagePipeline.ForTraining(32, Normalization.ImageNet);
        var sample = new ImageSample(path, 1);

        float[] first = pipeline.Process(sample, new Random(7));
        float[] second = pipeline.Process(sample, new Random(7));
        float[] other = pipeline.Process(sample, new Random(8));

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Process_EvaluationPipeline_IgnoresSeed()
    {
        using Image<Rgb24> source = TestImages.Gradient(120, 90, seed: 2);
        string path = TestImages.SavePng(_directory, "gradient.png", source);
        ImagePipeline pipeline = ImagePipeline.ForEvaluation(32, Normalization.ImageNet);
        var sample = new ImageSample(path, 1);

        Assert.Equal(pipeline.Process(sample, new Random(1)), pipeline.Process(sample, new Random(2)));
    }

    [Fact]
    public void ForEvaluation_224_Resize256ThenCrop()
    {
        ImagePipeline pipeline = ImagePipeline.ForEvaluation(224, Normalization.ImageNet);

        Assert.Equal(["Resize(256)", "CenterCrop(224x224)"], pipeline.Transforms.Select(t => t.ToString()));
        Assert.Equal(256, pipeline.CacheShorterSide);
        Assert.Equal(3 * 224 * 224, pipeline.SampleLength);
    }

    [Fact]
    public void ForTraining_224_CacheAt256()
    {
        ImagePipeline pipeline = ImagePipeline.ForTraining(224, Normalization.ImageNet);

        Assert.IsType<RandomResizedCropTransform>(pipeline.Transforms[0]);
        Assert.IsType<HorizontalFlipTransform>(pipeline.Transforms[1]);
        Assert.Equal(256, pipeline.CacheShorterSide);
    }

    [Fact]
    public void CacheShorterSide_CropFirst_FullResolution()
    {
        var pipeline = new ImagePipeline([ImageTransforms.HorizontalFlip(), ImageTransforms.CenterCrop(10, 10)], 10, 10, Normalization.None);

        Assert.Null(pipeline.CacheShorterSide);
    }

    [Fact]
    public void Constructor_BadNormalisation_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ImagePipeline([], 8, 8, new Normalization([0.5f, 0.5f], [1f, 1f])));
        Assert.Throws<ArgumentException>(() => new ImagePipeline([], 8, 8, new Normalization([0f, 0f, 0f], [1f, 0f, 1f])));
    }

    private string SavePositionCoded(int width, int height)
    {
        using Image<Rgb24> source = TestImages.PositionCoded(width, height);
        return TestImages.SavePng(_directory, $"position-{width}x{height}.png", source);
    }

    /// <summary>Reads back the (x, y) that a position-coded pixel carries from an unnormalised CHW output.</summary>
    private static (int X, int Y) PositionAt(float[] output, int width, int height, int x, int y)
    {
        int index = (y * width) + x;
        return ((int)Math.Round(output[index] * 255), (int)Math.Round(output[(width * height) + index] * 255));
    }
}
