using ReproKit.Evaluation;
using ReproKit.Models;
using ReproKit.Training;
using TorchSharp;

namespace ReproKit.Reproduction;

/// <summary>The data of a run, whether it sits in memory (Fashion-MNIST) or streams from image files.</summary>
internal interface IRunData : IDisposable
{
    /// <summary>Class names, indexed by label.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>Per-channel mean subtracted from pixel values in [0, 1].</summary>
    IReadOnlyList<double> Mean { get; }

    /// <summary>Per-channel standard deviation the centred values are divided by.</summary>
    IReadOnlyList<double> Std { get; }

    /// <summary>Column name in Table 2.</summary>
    string DatasetLabel { get; }

    /// <summary>Which files and split were used, for logs and run.json.</summary>
    string Description { get; }

    /// <summary>Identifies the test set so that <c>reprokit evaluate</c> can rebuild it.</summary>
    string DatasetKey { get; }

    /// <summary>Input side in pixels for image files; null for in-memory data.</summary>
    int? ImageSize { get; }

    /// <summary>Trains <paramref name="model"/> with <paramref name="trainer"/>, scoring the test set after each epoch.</summary>
    IReadOnlyList<EpochMetrics> Train(Trainer trainer, ImageClassifier model, string headName, CancellationToken cancellationToken);

    /// <summary>Scores <paramref name="model"/> on the test set without margin, with batches arranged in <paramref name="layout"/>.</summary>
    EvaluationResult Evaluate(ImageClassifier model, int batchSize, torch.Device device, MemoryLayout layout, CancellationToken cancellationToken);
}

/// <summary>Fashion-MNIST tensors held in memory.</summary>
internal sealed class InMemoryRunData(PreparedData data) : IRunData
{
    public IReadOnlyList<string> ClassNames => data.Train.ClassNames;

    public IReadOnlyList<double> Mean => [data.Mean];

    public IReadOnlyList<double> Std => [data.Std];

    public string DatasetLabel => data.DatasetLabel;

    public string Description => data.Description;

    public string DatasetKey => data.DatasetKey;

    public int? ImageSize => null;

    public IReadOnlyList<EpochMetrics> Train(Trainer trainer, ImageClassifier model, string headName, CancellationToken cancellationToken) =>
        trainer.Train(model, headName, data.Train, data.Test, cancellationToken);

    public EvaluationResult Evaluate(ImageClassifier model, int batchSize, torch.Device device, MemoryLayout layout, CancellationToken cancellationToken) =>
        Evaluator.Evaluate(model, data.Test, batchSize, device, layout);

    public void Dispose() => data.Dispose();
}
