using System.Diagnostics;
using System.Globalization;
using System.Text;
using ReproKit.Heads;
using ReproKit.Images;
using ReproKit.Models;
using ReproKit.Training;
using static TorchSharp.torch;

namespace ReproKit.Benchmarks;

/// <summary>
/// Whether the image loader keeps the network busy: the wall time of training epochs of the compact VGG-16 fed
/// by <see cref="ImageBatchLoader"/> against the same number of batches already decoded in memory.
/// </summary>
internal static class EpochSuite
{
    public const string Title = "Epoch time against compute only";

    public const double MaxRatio = 1.05;

    private const int ImageSize = 64;
    private const int BatchSize = 64;
    private const int Workers = 2;
    private const double Width = 0.25;
    private const int Classes = 10;

    public static SuiteResult Run(BenchmarkSession session)
    {
        var options = session.Options;
        int epochsPerMeasurement = options.Quick ? 1 : 3;
        var samples = session.CorpusFiles.Select((path, index) => new ImageSample(path, index % Classes)).ToList();
        var pipeline = ImagePipeline.ForTraining(ImageSize, Normalization.ImageNet);
        var classNames = InMemoryBatchSource.NumberedClasses(Classes);
        string cacheDirectory = Path.Combine(Path.GetTempPath(), $"reprokit-benchmark-epoch-cache-{Environment.ProcessId}");

        using var loader = new ImageBatchLoader(samples, pipeline, BatchSize, shuffle: true, seed: 1, workers: Workers, prefetch: 2, logger: ProgressLog.Instance);
        using var oneWorkerLoader = new ImageBatchLoader(samples, pipeline, BatchSize, shuffle: true, seed: 1, workers: 1, prefetch: 2, logger: ProgressLog.Instance);
        using var cachedLoader = new ImageBatchLoader(samples, pipeline, BatchSize, shuffle: true, seed: 1, workers: Workers, prefetch: 2, cacheDirectory: cacheDirectory, logger: ProgressLog.Instance);

        manual_seed(1);
        using var model = new ImageClassifier(new CompactVgg16(Width, TrainingConfiguration.CompactEmbeddingSize, inputChannels: 3), HeadSpec.Softmax().CreateHead(TrainingConfiguration.CompactEmbeddingSize, Classes));
        var trainer = new Trainer(
            new TrainingOptions(Epochs: epochsPerMeasurement, BatchSize: BatchSize, LearningRate: TrainingConfiguration.LearningRate, WarmupEpochs: 0, HorizontalFlip: false),
            CPU);

        // The compute-only reference trains on the loader's own batches of one epoch, decoded before timing.
        var stored = loader.Epoch(0).Select(batch => batch.ToTensors()).ToList();
        try
        {
            var sources = new IBatchSource[]
            {
                new InMemoryBatchSource("decoded batches in memory", stored, classNames, _ => stored.Count),
                new LoaderBatchSource("image loader, no cache", loader, classNames),
                new LoaderBatchSource("image loader, decode cache", cachedLoader, classNames),
            };

            // Untimed: compiles the hot methods and fills the decode cache.
            ProgressLog.Info("epoch: warm-up epoch of each source (this fills the decode cache)");
            foreach (IBatchSource source in sources)
            {
                trainer.Train(model, "Softmax", source);
            }

            // Wall time is what the target is about; the CPU time of the same epochs shows how busy the cores were.
            var cpuSeconds = sources.Select(_ => new List<double>()).Append(new List<double>()).ToArray();
            var measurements = sources
                .Select((source, index) => (Func<int, double>)(repeat => MeasureSecondsPerEpoch(trainer, model, source, repeat, options.Repeats, cpuSeconds[index])))
                .Append(repeat => MeasureDecodeOnly(loader, epochsPerMeasurement, repeat, options.Repeats, cpuSeconds[^1]))
                .ToArray();
            var series = Alternation.Run(options.Repeats, measurements);
            var cpu = cpuSeconds.Select(values => new SampleSummary(values)).ToArray();

            // The same comparison with one libtorch thread, so that one core is left to the loader: whether the loader
            // keeps pace when it has a core of its own, as on machines with more cores than libtorch uses.
            IReadOnlyList<SampleSummary> oneThread;
            int threads = get_num_threads();
            set_num_threads(1);
            try
            {
                ProgressLog.Info("epoch: one libtorch thread: warm-up epoch of each source");
                var oneWorker = new LoaderBatchSource("image loader with 1 worker, no cache", oneWorkerLoader, classNames);
                trainer.Train(model, "Softmax", sources[0]);
                trainer.Train(model, "Softmax", oneWorker);
                oneThread = Alternation.Run(
                    options.Repeats,
                    repeat => MeasureSecondsPerEpoch(trainer, model, sources[0], repeat, options.Repeats, cpuSeconds: null, label: "1 libtorch thread, "),
                    repeat => MeasureSecondsPerEpoch(trainer, model, oneWorker, repeat, options.Repeats, cpuSeconds: null, label: "1 libtorch thread, "));
            }
            finally
            {
                set_num_threads(threads);
            }

            return BuildResult(options, epochsPerMeasurement, stored.Count, samples.Count, series, cpu, oneThread);
        }
        finally
        {
            foreach (var (images, labels) in stored)
            {
                images.Dispose();
                labels.Dispose();
            }

            if (Directory.Exists(cacheDirectory))
            {
                Directory.Delete(cacheDirectory, recursive: true);
            }
        }
    }

    /// <summary>
    /// Trains the epochs of one measurement and returns their mean wall time as the trainer timed it; adds the
    /// process's CPU seconds per epoch over the same call to <paramref name="cpuSeconds"/> when it is given.
    /// </summary>
    private static double MeasureSecondsPerEpoch(Trainer trainer, ImageClassifier model, IBatchSource source, int repeat, int repeats, List<double>? cpuSeconds, string label = "")
    {
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var history = trainer.Train(model, "Softmax", source);
        cpuSeconds?.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / history.Count);
        double seconds = history.Average(epoch => epoch.Seconds);
        ProgressLog.Info(string.Create(CultureInfo.InvariantCulture, $"epoch: {label}{source.Name}: {seconds:F2} s an epoch (repeat {repeat + 1} of {repeats})"));
        return seconds;
    }

    /// <summary>Runs the loader's epochs without training, turning every batch into tensors; returns wall seconds per epoch.</summary>
    private static double MeasureDecodeOnly(ImageBatchLoader loader, int epochs, int repeat, int repeats, List<double> cpuSeconds)
    {
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            foreach (var batch in loader.Epoch(1000 + (repeat * epochs) + epoch))
            {
                var (images, labels) = batch.ToTensors();
                images.Dispose();
                labels.Dispose();
            }
        }

        double seconds = clock.Elapsed.TotalSeconds / epochs;
        cpuSeconds.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / epochs);
        ProgressLog.Info(string.Create(CultureInfo.InvariantCulture, $"epoch: decode only: {seconds:F2} s an epoch (repeat {repeat + 1} of {repeats})"));
        return seconds;
    }

    private static SuiteResult BuildResult(BenchmarkOptions options, int epochsPerMeasurement, int batches, int images, IReadOnlyList<SampleSummary> wall, IReadOnlyList<SampleSummary> cpu, IReadOnlyList<SampleSummary> oneThread)
    {
        double oneThreadRatio = oneThread[1].Median / oneThread[0].Median;
        var (compute, loader, cached, decode) = (wall[0], wall[1], wall[2], wall[3]);
        double loaderRatio = loader.Median / compute.Median;
        double cachedRatio = cached.Median / compute.Median;
        int cores = Environment.ProcessorCount;

        // If decoding used only the CPU time that compute leaves idle, and nothing were lost to switching between
        // the two, an epoch would take the longer of the compute-only wall time and all the CPU work spread over every core.
        double bound = Math.Max(compute.Median, (cpu[0].Median + cpu[3].Median) / cores);
        double boundRatio = bound / compute.Median;

        string Row(string name, int index, string ratio) =>
            $"| {name} | {TableFormat.Seconds(wall[index])} | {ratio} | {TableFormat.Seconds(cpu[index])} | {cpu[index].Median / wall[index].Median:F2} |";

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"""
            Wall time of a training epoch of the compact VGG-16 (width {Width}, 3 input channels, softmax head, SGD) on
            the {images} corpus JPEGs in {batches} batches of {BatchSize}, RandomResizedCrop {ImageSize} and flip, as the
            kit's `Trainer` times it. The reference trains on the same loader's batches of one epoch, decoded into
            tensors before timing, so it is the compute alone. The loader uses {Workers} workers and 2 prefetched
            batches, and shares the cores with libtorch's {options.Threads} threads. "Decode only" runs the loader's
            epochs (no cache) without training. Each measurement is the mean of {epochsPerMeasurement} epoch(s); medians of
            {options.Repeats} measurement(s), the range in brackets, after one untimed epoch of each source. The decode
            cache was filled by that untimed epoch. CPU seconds are the process's user and system time over the same
            epochs; "cores busy" is CPU seconds over wall seconds, out of {cores}.

            | batches from | seconds per epoch | relative to compute only | CPU seconds per epoch | cores busy |
            |---|---:|---:|---:|---:|
            {Row("memory (compute only)", 0, "1.00x")}
            {Row("image loader, no cache", 1, TableFormat.Ratio(loaderRatio))}
            {Row("image loader, decode cache", 2, TableFormat.Ratio(cachedRatio))}
            {Row("decode only, no training", 3, TableFormat.Ratio(decode.Median / compute.Median))}

            Compute alone keeps {cpu[0].Median / compute.Median:F2} of the {cores} cores busy, and decoding an epoch costs
            {cpu[3].Median:F2} CPU seconds. Even if decoding ran only in the CPU time that compute leaves unused, an
            epoch without the cache could not take less than {bound:F2} s, {TableFormat.Ratio(boundRatio)} compute only;
            it measured {TableFormat.Ratio(loaderRatio)}.

            With one libtorch thread and one loader worker, so that each has a core (same model and batches, alternating,
            after a warm-up epoch each):

            | batches from, 1 libtorch thread | seconds per epoch | relative to compute only |
            |---|---:|---:|
            | memory (compute only) | {TableFormat.Seconds(oneThread[0])} | 1.00x |
            | image loader with 1 worker, no cache | {TableFormat.Seconds(oneThread[1])} | {TableFormat.Ratio(oneThreadRatio)} |
            """);

        bool met = loaderRatio <= MaxRatio;
        string margin = (met
                ? $"met with {(MaxRatio - loaderRatio) * 100:F0} points to spare"
                : $"missed by {(loaderRatio - MaxRatio) * 100:F0} points; the CPU time of compute and decoding puts the floor at {TableFormat.Ratio(boundRatio)} on {cores} cores")
            + $"; with the decode cache the epoch takes {TableFormat.Ratio(cachedRatio)}, "
            + (cachedRatio <= MaxRatio ? "within the target" : "above the target")
            + $"; with one libtorch thread and one loader worker, a core each, {TableFormat.Ratio(oneThreadRatio)} without the cache";
        var target = new TargetResult(
            "Epoch fed by the image loader <= 1.05x compute only (default loader, no cache)",
            $"{TableFormat.Ratio(loaderRatio)} without the cache, {TableFormat.Ratio(cachedRatio)} with it",
            met,
            margin);
        return new SuiteResult(Title, text.ToString(), [target]);
    }
}
