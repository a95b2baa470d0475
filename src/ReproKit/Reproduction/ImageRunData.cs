using Microsoft.Extensions.Logging;
using ReproKit.Datasets;
using ReproKit.Evaluation;
using ReproKit.Images;
using ReproKit.Models;
using ReproKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ReproKit.Reproduction;

/// <summary>Batches of decoded images for the trainer.</summary>
internal sealed class ImageBatchSource(string name, IReadOnlyList<string> classNames, ImageBatchLoader loader) : IBatchSource, IDisposable
{
    public void Dispose() => loader.Dispose();

    public string Name => name;

    public long Count => loader.Count;

    public IReadOnlyList<string> ClassNames => classNames;

    public ImageBatchLoader Loader => loader;

    public IEnumerable<(Tensor Images, Tensor Labels)> Batches(int epoch, CancellationToken cancellationToken = default) =>
        loader.Epoch(epoch, cancellationToken).Select(batch => batch.ToTensors());
}

/// <summary>An image dataset streamed from files: VOC, Caltech-256 or an image folder.</summary>
/// <remarks>Public for <see cref="CreateTestSource"/>; the runner creates instances.</remarks>
public sealed class ImageRunData : IRunData
{
    private readonly ImageBatchSource _train;
    private readonly ImageBatchSource _test;
    private readonly ILogger _logger;

    public ImageRunData(ImageDatasetOptions dataset, ImageLoadingOptions loading, int batchSize, int seed, ILogger logger)
    {
        loading.Validate();
        _logger = logger;
        var (train, test, key) = ImageDatasets.Load(dataset);
        foreach (string warning in train.Warnings.Concat(test.Warnings))
        {
            logger.LogWarning("{Warning}", warning);
        }

        var normalization = Normalization.ImageNet;
        var trainLoader = new ImageBatchLoader(ToSamples(train), ImagePipeline.ForTraining(loading.ImageSize, normalization), batchSize, shuffle: true, seed,
            loading.Workers, loading.Prefetch, loading.BadImages, loading.CacheDirectory is null ? null : Path.Combine(loading.CacheDirectory, "train"), logger);
        var testLoader = new ImageBatchLoader(ToSamples(test), ImagePipeline.ForEvaluation(loading.ImageSize, normalization), batchSize * 2, shuffle: false, seed,
            loading.Workers, loading.Prefetch, loading.BadImages, loading.CacheDirectory is null ? null : Path.Combine(loading.CacheDirectory, "test"), logger);
        _train = new ImageBatchSource(train.Name, train.ClassNames, trainLoader);
        _test = new ImageBatchSource(test.Name, train.ClassNames, testLoader);
        ClassNames = train.ClassNames;
        Mean = normalization.Mean.Select(v => (double)v).ToList();
        Std = normalization.Std.Select(v => (double)v).ToList();
        DatasetLabel = dataset.TableLabel;
        DatasetKey = key;
        ImageSize = loading.ImageSize;
        Description = $"{train.Name}: {train.Items.Count:N0} examples; {test.Name}: {test.Items.Count:N0} examples; {loading.ImageSize}x{loading.ImageSize} RGB, ImageNet normalisation ({dataset.Root})";
        logger.LogInformation("Data: {Description}", Description);
    }

    public IReadOnlyList<string> ClassNames { get; }

    public IReadOnlyList<double> Mean { get; }

    public IReadOnlyList<double> Std { get; }

    public string DatasetLabel { get; }

    public string Description { get; }

    public string DatasetKey { get; }

    public int? ImageSize { get; }

    /// <summary>Every image left out as unreadable so far, training and test.</summary>
    public IReadOnlyList<BadImage> BadImages => _train.Loader.BadImages.Concat(_test.Loader.BadImages).ToList();

    public IReadOnlyList<EpochMetrics> Train(Trainer trainer, ImageClassifier model, string headName, CancellationToken cancellationToken) =>
        trainer.Train(model, headName, _train, _test, cancellationToken);

    public EvaluationResult Evaluate(ImageClassifier model, int batchSize, torch.Device device, MemoryLayout layout, CancellationToken cancellationToken) =>
        Evaluator.Evaluate(model, _test, device, cancellationToken, layout);

    public void Dispose()
    {
        if (BadImages.Count > 0)
        {
            _logger.LogWarning("{Count} unreadable image(s) were left out of this run; each was logged once above.", BadImages.Count);
        }

        _train.Loader.Dispose();
        _test.Loader.Dispose();
    }

    /// <summary>
    /// Rebuilds the test batches a saved model was scored on, from its dataset key, for <c>reprokit evaluate</c>.
    /// <paramref name="rootOverride"/> points at the dataset when it has moved. Dispose the result to stop its workers.
    /// </summary>
    public static IBatchSource CreateTestSource(string datasetKey, int imageSize, IReadOnlyList<double> mean, IReadOnlyList<double> std, string? rootOverride, ILogger? logger = null, BadImagePolicy badImages = BadImagePolicy.Error)
    {
        var test = ImageDatasets.LoadTestFromKey(datasetKey, rootOverride);
        var normalization = new Normalization(mean.Select(v => (float)v).ToArray(), std.Select(v => (float)v).ToArray());
        var loader = new ImageBatchLoader(ToSamples(test), ImagePipeline.ForEvaluation(imageSize, normalization), 64, shuffle: false, seed: 1, policy: badImages, logger: logger);
        return new ImageBatchSource(test.Name, test.ClassNames, loader);
    }

    internal static List<ImageSample> ToSamples(DatasetSplit split) =>
        split.Items.Select(i => new ImageSample(i.ImagePath, i.Label, i.Box is null ? null : new CropBox(i.Box.XMin, i.Box.YMin, i.Box.XMax, i.Box.YMax))).ToList();
}
