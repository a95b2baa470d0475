using System.Diagnostics;
using System.Globalization;
using System.Text;
using ReproKit.Images;

namespace ReproKit.Benchmarks;

/// <summary>
/// Image-pipeline throughput: the kit's <see cref="ImageBatchLoader"/> with <see cref="ImagePipeline.ForTraining"/>
/// (decode, RandomResizedCrop 224, horizontal flip, ImageNet normalisation, then a float tensor per batch),
/// without and with its decode cache, against Pillow and torchvision transforms in a torch DataLoader.
/// </summary>
internal static class PipelineSuite
{
    public const string Title = "Image-pipeline throughput";

    public const int ImageSize = 224;
    public const int BatchSize = 32;
    public const int Workers = 2;

    public static SuiteResult Run(BenchmarkSession session)
    {
        var options = session.Options;
        IReadOnlyList<string> files = session.CorpusFiles;
        var samples = files.Select((path, index) => new ImageSample(path, index % 10)).ToList();
        var pipeline = ImagePipeline.ForTraining(ImageSize, Normalization.ImageNet);
        var peer = session.Peer;

        using var loader = new ImageBatchLoader(samples, pipeline, BatchSize, shuffle: true, seed: 1, workers: Workers, prefetch: 2, logger: ProgressLog.Instance);

        // One untimed epoch of each kit path first, because .NET compiles hot methods again with full optimisation
        // after their first calls. Every PyTorch measurement starts with an untimed epoch of its own.
        ProgressLog.Info("pipeline: warm-up epochs of the kit without and with the decode cache");
        MeasureKitEpoch(loader, epoch: 0);
        MeasureCachedEpochs(samples, pipeline);

        var fillRates = new List<double>();
        var series = Alternation.Run(
            options.Repeats,
            repeat => Logged("kit, no cache", repeat, options.Repeats, MeasureKitEpoch(loader, epoch: repeat + 1)),
            repeat => Logged("Pillow + torchvision", repeat, options.Repeats, peer.MeasurePipeline(files, ImageSize, BatchSize, Workers, epochs: 1, BenchmarkSession.PeerTimeout)[0]),
            repeat =>
            {
                var (fill, cached) = MeasureCachedEpochs(samples, pipeline);
                fillRates.Add(fill);
                return Logged("kit, decode cache, epoch 2", repeat, options.Repeats, cached);
            });

        return BuildResult(options, files.Count, series[0], series[1], new SampleSummary(fillRates), series[2]);
    }

    /// <summary>Returns the images per second of one epoch of <paramref name="loader"/>, each batch turned into tensors.</summary>
    private static double MeasureKitEpoch(ImageBatchLoader loader, int epoch)
    {
        long images = 0;
        var clock = Stopwatch.StartNew();
        foreach (ImageBatch batch in loader.Epoch(epoch))
        {
            var (pixels, labels) = batch.ToTensors();
            images += batch.Count;
            pixels.Dispose();
            labels.Dispose();
        }

        return images / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Runs two epochs of a loader with a new, empty decode cache and returns the images per second of both:
    /// epoch 1 decodes and fills the cache, epoch 2 reads it. The cache folder is deleted afterwards.
    /// </summary>
    private static (double Fill, double Cached) MeasureCachedEpochs(IReadOnlyList<ImageSample> samples, ImagePipeline pipeline)
    {
        string cacheDirectory = Path.Combine(Path.GetTempPath(), $"reprokit-benchmark-cache-{Environment.ProcessId}");
        DeleteDirectory(cacheDirectory);
        try
        {
            using var loader = new ImageBatchLoader(samples, pipeline, BatchSize, shuffle: true, seed: 1, workers: Workers, prefetch: 2, cacheDirectory: cacheDirectory, logger: ProgressLog.Instance);
            double fill = MeasureKitEpoch(loader, epoch: 1);
            double cached = MeasureKitEpoch(loader, epoch: 2);
            return (fill, cached);
        }
        finally
        {
            DeleteDirectory(cacheDirectory);
        }
    }

    private static void DeleteDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static double Logged(string name, int repeat, int repeats, double imagesPerSecond)
    {
        ProgressLog.Info($"pipeline: {name}: {TableFormat.Rate(imagesPerSecond)} images/s (repeat {repeat + 1} of {repeats})");
        return imagesPerSecond;
    }

    private static SuiteResult BuildResult(BenchmarkOptions options, int imageCount, SampleSummary kit, SampleSummary pytorch, SampleSummary fill, SampleSummary cached)
    {
        double reference = pytorch.Median;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"""
            Images per second over whole epochs of the {imageCount} corpus JPEGs ({JpegCorpus.Quality} quality, about
            500x375): decode, RandomResizedCrop {ImageSize} with torchvision's default scale and ratio ranges,
            horizontal flip with probability 0.5, scaling to [0, 1], ImageNet normalisation and one float32 tensor per
            batch of {BatchSize}, with {Workers} workers on each side. The kit uses `ImageBatchLoader` with
            `ImagePipeline.ForTraining`; PyTorch uses Pillow, torchvision's `RandomResizedCrop`, `RandomHorizontalFlip`,
            `ToTensor` and `Normalize` in a `DataLoader` with `num_workers={Workers}` and persistent workers, each
            measurement after an untimed epoch that starts them. The kit's loader needs no start-up of that kind: it
            decodes on a thread it starts per epoch and on the .NET thread pool. The decode cache is new and empty for
            each measurement: epoch 1 decodes and stores each image with its shorter side scaled to 256, epoch 2 reads
            the stored images. The kit's paths each had one untimed epoch before the first measurement. Medians of
            {options.Repeats} measurement(s), the range in brackets.

            | pipeline | images/s | relative to Pillow + torchvision |
            |---|---:|---:|
            | Pillow + torchvision, DataLoader | {TableFormat.Rate(pytorch)} | 1.00x |
            | kit, no cache | {TableFormat.Rate(kit)} | {TableFormat.Ratio(kit.Median / reference)} |
            | kit, decode cache, epoch 1 (filling it) | {TableFormat.Rate(fill)} | {TableFormat.Ratio(fill.Median / reference)} |
            | kit, decode cache, epoch 2 (reading it) | {TableFormat.Rate(cached)} | {TableFormat.Ratio(cached.Median / reference)} |
            """);

        double cachedRatio = cached.Median / reference;
        double uncachedRatio = kit.Median / reference;
        bool met = cachedRatio >= 1.0;
        string margin = (met ? $"met with {(cachedRatio - 1) * 100:F0}% to spare" : $"missed by {(1 - cachedRatio) * 100:F0}%")
            + $"; without the cache the kit runs at {TableFormat.Ratio(uncachedRatio)}"
            + (uncachedRatio >= 1.0 ? ", which meets it too" : $", {(1 - uncachedRatio) * 100:F0}% short");
        var target = new TargetResult(
            "Image pipeline >= 1.0x Pillow + torchvision (decode cache counted: epoch 2)",
            $"{TableFormat.Ratio(cachedRatio)} with the cache, {TableFormat.Ratio(uncachedRatio)} without",
            met,
            margin);
        return new SuiteResult(Title, text.ToString(), [target]);
    }
}
