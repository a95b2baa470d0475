using ReproKit.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ReproKit.Tests.Images;

public sealed class ImageBatchLoaderTests : IDisposable
{
    // Generous: an epoch here takes well under a second, so only a hang reaches this.
    private static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(60);

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Epoch_Unshuffled_ListOrderAndShapes()
    {
        ImageSample[] samples = CreateSamples(10);
        using var loader = new ImageBatchLoader(samples, ImagePipeline.ForEvaluation(16, Normalization.ImageNet), batchSize: 4, shuffle: false, seed: 0, workers: 2);

        List<ImageBatch> batches = await CollectAsync(loader, epoch: 0);

        Assert.Equal([4, 4, 2], batches.Select(b => b.Count));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), batches.SelectMany(b => b.Labels));
        Assert.All(batches, batch =>
        {
            Assert.Equal(3, batch.Channels);
            Assert.Equal(16, batch.Height);
            Assert.Equal(16, batch.Width);
            Assert.Equal(batch.Count * 3 * 16 * 16, batch.Pixels.Length);
        });
        Assert.Equal(10, loader.Count);
        Assert.Equal(3, loader.BatchesPerEpoch);
    }

    [Fact]
    public async Task Epoch_OneOrFourWorkers_IdenticalBatches()
    {
        ImageSample[] samples = CreateSamples(10);
        ImagePipeline pipeline = ImagePipeline.ForTraining(16, Normalization.ImageNet);
        using var single = new ImageBatchLoader(samples, pipeline, batchSize: 3, shuffle: true, seed: 11, workers: 1);
        using var parallel = new ImageBatchLoader(samples, pipeline, batchSize: 3, shuffle: true, seed: 11, workers: 4);

        for (int epoch = 0; epoch < 2; epoch++)
        {
            AssertSameBatches(await CollectAsync(single, epoch), await CollectAsync(parallel, epoch));
        }
    }

    [Fact]
    public async Task Epoch_TwoRuns_IdenticalBatches()
    {
        ImageSample[] samples = CreateSamples(10);
        using var first = new ImageBatchLoader(samples, ImagePipeline.ForTraining(16, Normalization.ImageNet), batchSize: 4, shuffle: true, seed: 3, workers: 3);
        using var second = new ImageBatchLoader(samples, ImagePipeline.ForTraining(16, Normalization.ImageNet), batchSize: 4, shuffle: true, seed: 3, workers: 3);

        AssertSameBatches(await CollectAsync(first, epoch: 2), await CollectAsync(second, epoch: 2));
    }

    [Fact]
    public async Task Epoch_RandomTransforms_DifferBetweenEpochs()
    {
        ImageSample[] samples = CreateSamples(4);
        using var loader = new ImageBatchLoader(samples, ImagePipeline.ForTraining(16, Normalization.ImageNet), batchSize: 4, shuffle: false, seed: 3, workers: 2);

        ImageBatch epoch0 = Assert.Single(await CollectAsync(loader, epoch: 0));
        ImageBatch epoch1 = Assert.Single(await CollectAsync(loader, epoch: 1));

        Assert.Equal(epoch0.Labels, epoch1.Labels);
        Assert.False(epoch0.Pixels.AsSpan().SequenceEqual(epoch1.Pixels), "Epochs 0 and 1 drew the same random crops.");
    }

    [Fact]
    public void Shuffle_Order_DependsOnSeedAndEpoch()
    {
        ImageSample[] samples = CreateSamples(10);
        ImagePipeline pipeline = ImagePipeline.ForEvaluation(16, Normalization.None);
        using var loader = new ImageBatchLoader(samples, pipeline, batchSize: 4, shuffle: true, seed: 1, workers: 1);
        using var otherSeed = new ImageBatchLoader(samples, pipeline, batchSize: 4, shuffle: true, seed: 2, workers: 1);
        using var unshuffled = new ImageBatchLoader(samples, pipeline, batchSize: 4, shuffle: false, seed: 1, workers: 1);

        int[] epoch0 = loader.GetSampleOrder(0);
        int[] epoch1 = loader.GetSampleOrder(1);

        Assert.Equal(Enumerable.Range(0, 10), epoch0.Order());
        Assert.Equal(Enumerable.Range(0, 10), epoch1.Order());
        Assert.NotEqual(epoch0, epoch1);
        Assert.Equal(epoch0, loader.GetSampleOrder(0));
        Assert.NotEqual(epoch0, otherSeed.GetSampleOrder(0));
        Assert.Equal(Enumerable.Range(0, 10), unshuffled.GetSampleOrder(5));
    }

    [Fact]
    public async Task Epoch_ShuffledLabels_FollowSampleOrder()
    {
        ImageSample[] samples = CreateSamples(10);
        using var loader = new ImageBatchLoader(samples, ImagePipeline.ForEvaluation(16, Normalization.None), batchSize: 4, shuffle: true, seed: 9, workers: 2);

        List<ImageBatch> batches = await CollectAsync(loader, epoch: 1);

        Assert.Equal(loader.GetSampleOrder(1).Select(i => (long)i), batches.SelectMany(b => b.Labels));
    }

    [Fact]
    public async Task Epoch_SkipPolicy_LeavesOutBadFiles()
    {
        ImageSample[] samples = CreateSamples(10);
        string emptyPath = _directory.Write("image-03.jpg", []);
        string textPath = _directory.Write("image-07.png", "not an image"u8.ToArray());
        samples[3] = new ImageSample(emptyPath, 3);
        samples[7] = new ImageSample(textPath, 7);
        var logger = new RecordingLogger();
        using var loader = new ImageBatchLoader(
            samples, ImagePipeline.ForEvaluation(16, Normalization.ImageNet), batchSize: 4, shuffle: true, seed: 4, workers: 3,
            policy: BadImagePolicy.Skip, logger: logger);

        for (int epoch = 0; epoch < 2; epoch++)
        {
            List<ImageBatch> batches = await CollectAsync(loader, epoch);

            Assert.Equal(8, batches.Sum(b => b.Count));
            Assert.Equal([0L, 1, 2, 4, 5, 6, 8, 9], batches.SelectMany(b => b.Labels).Order());
            Assert.All(batches, batch => Assert.Equal(batch.Count * 3 * 16 * 16, batch.Pixels.Length));
        }

        IReadOnlyList<BadImage> bad = loader.BadImages;
        Assert.Equal(2, bad.Count);
        Assert.Contains(bad, b => b.Path == emptyPath && b.Reason.Contains("empty"));
        Assert.Contains(bad, b => b.Path == textPath && b.Reason.Contains("not a JPEG, PNG, BMP or GIF image"));

        IReadOnlyList<string> warnings = logger.Warnings;
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Contains(emptyPath) && w.Contains("empty"));
        Assert.Contains(warnings, w => w.Contains(textPath));
    }

    [Fact]
    public async Task Epoch_SkipPolicy_WholeBadBatchOmitted()
    {
        ImageSample[] samples = CreateSamples(6);
        samples[2] = new ImageSample(_directory.Write("bad-2.jpg", []), 2);
        samples[3] = new ImageSample(_directory.Write("bad-3.jpg", []), 3);
        using var loader = new ImageBatchLoader(
            samples, ImagePipeline.ForEvaluation(16, Normalization.None), batchSize: 2, shuffle: false, seed: 0, workers: 2, policy: BadImagePolicy.Skip);

        List<ImageBatch> batches = await CollectAsync(loader, epoch: 0);

        Assert.Equal([2, 2], batches.Select(b => b.Count));
        Assert.Equal([0L, 1, 4, 5], batches.SelectMany(b => b.Labels));
    }

    [Fact]
    public async Task Epoch_ErrorPolicy_ThrowsNamingFile()
    {
        ImageSample[] samples = CreateSamples(10);
        using Image<Rgb24> source = TestImages.Gradient(48, 36, seed: 1);
        byte[] jpeg = TestImages.JpegBytes(source);
        string truncatedPath = _directory.Write("truncated.jpg", jpeg[..(jpeg.Length / 2)]);
        samples[5] = new ImageSample(truncatedPath, 5);
        var loader = new ImageBatchLoader(samples, ImagePipeline.ForEvaluation(16, Normalization.ImageNet), batchSize: 4, shuffle: false, seed: 0, workers: 4);

        ImageDecodeException exception = await Assert.ThrowsAsync<ImageDecodeException>(() => CollectAsync(loader, epoch: 0));

        Assert.Equal(truncatedPath, exception.Path);
        Assert.Contains(truncatedPath, exception.Message);
        Assert.Equal(0, loader.RunningEpochCount);
        await Task.Run(loader.Dispose).WaitAsync(HangTimeout);
    }

    [Fact]
    public async Task Epoch_ErrorPolicy_BatchesBeforeFailureDelivered()
    {
        ImageSample[] samples = CreateSamples(10);
        samples[9] = new ImageSample(_directory.Write("last.jpg", []), 9);
        using var loader = new ImageBatchLoader(samples, ImagePipeline.ForEvaluation(16, Normalization.None), batchSize: 4, shuffle: false, seed: 0, workers: 2);
        var delivered = new List<ImageBatch>();

        ImageDecodeException exception = await Assert.ThrowsAsync<ImageDecodeException>(
            () => Task.Run(() => delivered.AddRange(loader.Epoch(0))).WaitAsync(HangTimeout));

        Assert.EndsWith("last.jpg", exception.Path);
        Assert.Equal([4, 4], delivered.Select(b => b.Count));
    }

    [Fact]
    public async Task Cache_SecondEpoch_ReadsCacheFiles()
    {
        ImageSample[] samples = CreateSamples(10);
        string cacheDirectory = _directory.Combine("cache");
        using var loader = new ImageBatchLoader(
            samples, ImagePipeline.ForTraining(16, Normalization.ImageNet), batchSize: 4, shuffle: true, seed: 2, workers: 3, cacheDirectory: cacheDirectory);
        DecodedImageCache cache = loader.Cache!;

        await CollectAsync(loader, epoch: 0);

        Assert.Equal(10, cache.Misses);
        Assert.Equal(0, cache.Hits);
        string[] files = Directory.GetFiles(cacheDirectory, "*.rgb", SearchOption.AllDirectories);
        Assert.Equal(10, files.Length);
        Assert.Empty(Directory.GetFiles(cacheDirectory, "*.tmp", SearchOption.AllDirectories));
        Assert.All(samples, sample => Assert.True(File.Exists(cache.GetCachePath(sample, loader.Pipeline.CacheShorterSide)), $"No cache file for {sample.Path}."));

        await CollectAsync(loader, epoch: 1);

        Assert.Equal(10, cache.Misses);
        Assert.Equal(10, cache.Hits);
    }

    [Fact]
    public async Task Cache_StoresDownscaledImage()
    {
        ImageSample[] samples = CreateSamples(1, width: 48, height: 36);
        string cacheDirectory = _directory.Combine("cache");
        using var loader = new ImageBatchLoader(samples, ImagePipeline.ForTraining(16, Normalization.None), batchSize: 1, shuffle: false, seed: 0, workers: 1, cacheDirectory: cacheDirectory);

        await CollectAsync(loader, epoch: 0);

        // Cache side for RandomResizedCrop(16): ceil(16 x 256 / 224) = 19, so 48x36 becomes 25x19.
        Assert.Equal(19, loader.Pipeline.CacheShorterSide);
        string file = Assert.Single(Directory.GetFiles(cacheDirectory, "*.rgb", SearchOption.AllDirectories));
        Assert.Equal(80 + (25 * 19 * 3), new FileInfo(file).Length);
    }

    [Fact]
    public async Task Cache_HitAndMiss_SameBatches()
    {
        ImageSample[] samples = CreateSamples(10);
        ImagePipeline pipeline = ImagePipeline.ForTraining(16, Normalization.ImageNet);
        using var warm = new ImageBatchLoader(samples, pipeline, batchSize: 4, shuffle: true, seed: 6, workers: 2, cacheDirectory: _directory.Combine("warm"));
        using var cold = new ImageBatchLoader(samples, pipeline, batchSize: 4, shuffle: true, seed: 6, workers: 2, cacheDirectory: _directory.Combine("cold"));
        await CollectAsync(warm, epoch: 0);

        List<ImageBatch> fromCache = await CollectAsync(warm, epoch: 1);
        List<ImageBatch> decoded = await CollectAsync(cold, epoch: 1);

        Assert.Equal(10, warm.Cache!.Hits);
        Assert.Equal(0, cold.Cache!.Hits);
        AssertSameBatches(fromCache, decoded);
    }

    [Fact]
    public async Task Cache_EvaluationPipeline_MatchesUncached()
    {
        ImageSample[] samples = CreateSamples(6);
        ImagePipeline pipeline = ImagePipeline.ForEvaluation(16, Normalization.ImageNet);
        using var cached = new ImageBatchLoader(samples, pipeline, batchSize: 4, shuffle: false, seed: 0, workers: 2, cacheDirectory: _directory.Combine("cache"));
        using var uncached = new ImageBatchLoader(samples, pipeline, batchSize: 4, shuffle: false, seed: 0, workers: 2);
        await CollectAsync(cached, epoch: 0);

        List<ImageBatch> fromCache = await CollectAsync(cached, epoch: 1);

        Assert.Equal(6, cached.Cache!.Hits);
        AssertSameBatches(await CollectAsync(uncached, epoch: 1), fromCache);
    }

    [Fact]
    public async Task Cache_CorruptFiles_RewrittenAndIgnored()
    {
        ImageSample[] samples = CreateSamples(10);
        ImagePipeline pipeline = ImagePipeline.ForTraining(16, Normalization.ImageNet);
        var logger = new RecordingLogger();
        using var loader = new ImageBatchLoader(samples, pipeline, batchSize: 4, shuffle: true, seed: 8, workers: 2, cacheDirectory: _directory.Combine("cache"), logger: logger);
        using var reference = new ImageBatchLoader(samples, pipeline, batchSize: 4, shuffle: true, seed: 8, workers: 2, cacheDirectory: _directory.Combine("reference"));
        await CollectAsync(loader, epoch: 0);
        DecodedImageCache cache = loader.Cache!;

        string flipped = cache.GetCachePath(samples[2], pipeline.CacheShorterSide)!;
        byte[] content = File.ReadAllBytes(flipped);
        content[^1] ^= 0xFF;
        File.WriteAllBytes(flipped, content);
        string truncated = cache.GetCachePath(samples[6], pipeline.CacheShorterSide)!;
        File.WriteAllBytes(truncated, content[..10]);
        string garbage = cache.GetCachePath(samples[8], pipeline.CacheShorterSide)!;
        File.WriteAllBytes(garbage, [.. Enumerable.Repeat((byte)0x5A, 500)]);

        List<ImageBatch> afterCorruption = await CollectAsync(loader, epoch: 1);

        Assert.Equal(3, cache.Rewrites);
        Assert.Equal(7, cache.Hits);
        AssertSameBatches(await CollectAsync(reference, epoch: 1), afterCorruption);
        Assert.Equal(3, logger.Warnings.Count(w => w.Contains("is invalid")));

        await CollectAsync(loader, epoch: 2);

        Assert.Equal(17, cache.Hits);
        Assert.Equal(3, cache.Rewrites);
    }

    [Fact]
    public async Task Cache_ChangedSource_DecodedAgain()
    {
        ImageSample[] samples = CreateSamples(2);
        using var loader = new ImageBatchLoader(samples, ImagePipeline.ForEvaluation(16, Normalization.None), batchSize: 2, shuffle: false, seed: 0, workers: 1, cacheDirectory: _directory.Combine("cache"));
        await CollectAsync(loader, epoch: 0);

        using (Image<Rgb24> replacement = TestImages.Solid(60, 50, new Rgb24(9, 9, 9)))
        {
            replacement.Save(samples[1].Path);
        }

        File.SetLastWriteTimeUtc(samples[1].Path, DateTime.UtcNow.AddMinutes(1));
        ImageBatch batch = Assert.Single(await CollectAsync(loader, epoch: 1));

        Assert.Equal(1, loader.Cache!.Hits);
        Assert.Equal(3, loader.Cache.Misses);
        Assert.Equal(9 / 255f, batch.Pixels[3 * 16 * 16], 6);
    }

    [Fact]
    public async Task Dispose_MidEpoch_StopsWorkers()
    {
        ImageSample[] samples = CreateSamples(40, width: 32, height: 24);
        var loader = new ImageBatchLoader(samples, ImagePipeline.ForEvaluation(16, Normalization.None), batchSize: 2, shuffle: false, seed: 0, workers: 2, prefetch: 1);

        await Task.Run(() =>
        {
            using IEnumerator<ImageBatch> batches = loader.Epoch(0).GetEnumerator();
            Assert.True(batches.MoveNext());

            loader.Dispose();

            Assert.Equal(0, loader.RunningEpochCount);
            Assert.Throws<ObjectDisposedException>(() => batches.MoveNext());
        }).WaitAsync(HangTimeout);

        Assert.Throws<ObjectDisposedException>(() => loader.Epoch(1));
    }

    [Fact]
    public async Task Dispose_FromOtherThread_UnblocksConsumer()
    {
        ImageSample[] samples = CreateSamples(8, width: 32, height: 24);
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var pipeline = new ImagePipeline([new BlockingTransform(entered, release), ImageTransforms.ResizeExact(8, 8)], 8, 8, Normalization.None);
        var loader = new ImageBatchLoader(samples, pipeline, batchSize: 2, shuffle: false, seed: 0, workers: 2);

        Task<List<ImageBatch>> consumer = Task.Run(() => loader.Epoch(0).ToList());
        Assert.True(entered.Wait(HangTimeout), "No sample reached the transform.");

        Task disposal = Task.Run(loader.Dispose);
        release.Set();

        await disposal.WaitAsync(HangTimeout);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => consumer.WaitAsync(HangTimeout));
        Assert.Equal(0, loader.RunningEpochCount);
    }

    [Fact]
    public async Task Epoch_Cancelled_ThrowsAndStops()
    {
        ImageSample[] samples = CreateSamples(20, width: 32, height: 24);
        using var loader = new ImageBatchLoader(samples, ImagePipeline.ForEvaluation(16, Normalization.None), batchSize: 2, shuffle: false, seed: 0, workers: 2, prefetch: 1);
        using var cancellation = new CancellationTokenSource();

        await Task.Run(() =>
        {
            using IEnumerator<ImageBatch> batches = loader.Epoch(0, cancellation.Token).GetEnumerator();
            Assert.True(batches.MoveNext());

            cancellation.Cancel();

            Assert.ThrowsAny<OperationCanceledException>(() => batches.MoveNext());
        }).WaitAsync(HangTimeout);

        Assert.Equal(0, loader.RunningEpochCount);
    }

    [Fact]
    public async Task Epoch_BreakEarly_StopsProducer()
    {
        ImageSample[] samples = CreateSamples(20, width: 32, height: 24);
        using var loader = new ImageBatchLoader(samples, ImagePipeline.ForEvaluation(16, Normalization.None), batchSize: 2, shuffle: false, seed: 0, workers: 2, prefetch: 1);

        ImageBatch first = await Task.Run(() => loader.Epoch(0).First()).WaitAsync(HangTimeout);

        Assert.Equal([0L, 1], first.Labels);
        Assert.Equal(0, loader.RunningEpochCount);
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        ImageSample[] samples = CreateSamples(1);
        ImagePipeline pipeline = ImagePipeline.ForEvaluation(16, Normalization.None);

        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageBatchLoader(samples, pipeline, batchSize: 0, shuffle: false, seed: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageBatchLoader(samples, pipeline, batchSize: 1, shuffle: false, seed: 0, workers: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ImageBatchLoader(samples, pipeline, batchSize: 1, shuffle: false, seed: 0, prefetch: 0));
        Assert.Throws<ArgumentException>(() => new ImageBatchLoader([new ImageSample(" ", 0)], pipeline, batchSize: 1, shuffle: false, seed: 0));
    }

    /// <summary>Writes <paramref name="count"/> gradient images, alternating JPEG and PNG; sample i has label i.</summary>
    private ImageSample[] CreateSamples(int count, int width = 48, int height = 36)
    {
        var samples = new ImageSample[count];
        for (int i = 0; i < count; i++)
        {
            using Image<Rgb24> image = TestImages.Gradient(width, height, seed: i);
            string path = i % 2 == 0
                ? TestImages.SaveJpeg(_directory, $"image-{i:D2}.jpg", image)
                : TestImages.SavePng(_directory, $"image-{i:D2}.png", image);
            samples[i] = new ImageSample(path, i);
        }

        return samples;
    }

    private static async Task<List<ImageBatch>> CollectAsync(ImageBatchLoader loader, int epoch) =>
        await Task.Run(() => loader.Epoch(epoch).ToList()).WaitAsync(HangTimeout);

    private static void AssertSameBatches(IReadOnlyList<ImageBatch> expected, IReadOnlyList<ImageBatch> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Labels, actual[i].Labels);
            Assert.True(expected[i].Pixels.AsSpan().SequenceEqual(actual[i].Pixels), $"Batch {i} has different pixels.");
        }
    }

    /// <summary>Signals when a sample reaches it, then waits to be released, to hold a worker mid-sample.</summary>
    private sealed class BlockingTransform(ManualResetEventSlim entered, ManualResetEventSlim release) : IImageTransform
    {
        public Image<Rgb24> Apply(Image<Rgb24> image, Random random)
        {
            entered.Set();
            release.Wait(HangTimeout);
            return image;
        }
    }
}
