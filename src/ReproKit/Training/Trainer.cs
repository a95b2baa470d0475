using System.Diagnostics;
using ReproKit.Data;
using ReproKit.Evaluation;
using ReproKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ReproKit.Training;

/// <summary>
/// Trains an <see cref="ImageClassifier"/> with SGD. Every step runs inside a dispose scope, so the
/// tensors it creates are freed at once and resident memory stays flat from epoch to epoch.
/// </summary>
public sealed class Trainer
{
    private readonly TrainingOptions _options;
    private readonly Device _device;

    /// <summary>Creates a trainer; the options are validated here, before any training starts.</summary>
    public Trainer(TrainingOptions options, Device device)
    {
        options.Validate();
        _options = options;
        _device = device;
    }

    /// <summary>Called after every step.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Called after every epoch, with the epoch's metrics (after evaluation, if any).</summary>
    public Action<EpochMetrics>? EpochCompleted { get; init; }

    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/> and, after each epoch, measures top-1
    /// accuracy on <paramref name="evaluation"/> when given. The data order of epoch e depends only on the
    /// seed and e, so models trained with the same options see the same batches.
    /// </summary>
    public IReadOnlyList<EpochMetrics> Train(ImageClassifier model, string headName, LabeledImages train, LabeledImages? evaluation = null, CancellationToken cancellationToken = default)
    {
        if (train.Count < 1)
        {
            throw new ArgumentException($"The training set '{train.Name}' is empty.", nameof(train));
        }

        Func<double>? evaluate = evaluation is null ? null : () => Evaluator.Evaluate(model, evaluation, _options.BatchSize * 2, _device, _options.Layout).Top1;
        return TrainBatches(model, headName, train.Count, epoch => InMemoryBatches(train, epoch), evaluate, cancellationToken);
    }

    /// <summary>
    /// Trains <paramref name="model"/> on batches from <paramref name="train"/> (decoded from files, for example), and
    /// after each epoch measures top-1 accuracy on <paramref name="evaluation"/> when given. The source decides the
    /// batch size, the order and the augmentation.
    /// </summary>
    public IReadOnlyList<EpochMetrics> Train(ImageClassifier model, string headName, IBatchSource train, IBatchSource? evaluation = null, CancellationToken cancellationToken = default)
    {
        if (train.Count < 1)
        {
            throw new ArgumentException($"The training set '{train.Name}' is empty.", nameof(train));
        }

        Func<double>? evaluate = evaluation is null ? null : () => Evaluator.Evaluate(model, evaluation, _device, cancellationToken, _options.Layout).Top1;
        return TrainBatches(model, headName, train.Count, epoch => train.Batches(epoch, cancellationToken), evaluate, cancellationToken);
    }

    private IReadOnlyList<EpochMetrics> TrainBatches(ImageClassifier model, string headName, long count, Func<int, IEnumerable<(Tensor Images, Tensor Labels)>> batchesOf, Func<double>? evaluate, CancellationToken cancellationToken)
    {
        model.to(_device);
        var layout = MemoryLayouts.Resolve(_options.Layout, _device);
        MemoryLayouts.Arrange(model, layout);
        try
        {
            return TrainArranged(model, headName, count, batchesOf, evaluate, layout, cancellationToken);
        }
        finally
        {
            // Hand the model back channels first: TorchSharp saves a tensor's storage as it lies in memory.
            MemoryLayouts.Arrange(model, MemoryLayout.ChannelsFirst);
        }
    }

    private IReadOnlyList<EpochMetrics> TrainArranged(ImageClassifier model, string headName, long count, Func<int, IEnumerable<(Tensor Images, Tensor Labels)>> batchesOf, Func<double>? evaluate, MemoryLayout layout, CancellationToken cancellationToken)
    {
        using var optimizer = optim.SGD(model.parameters(), _options.LearningRate, momentum: _options.Momentum, weight_decay: _options.WeightDecay);

        int stepsPerEpoch = (int)((count + _options.BatchSize - 1) / _options.BatchSize);
        long totalSteps = (long)stepsPerEpoch * _options.Epochs;
        long warmupSteps = (long)Math.Round(_options.WarmupEpochs * stepsPerEpoch);
        var history = new List<EpochMetrics>();
        long step = 0;

        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            model.train();
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            double learningRate = 0;
            var clock = Stopwatch.StartNew();
            using var batches = batchesOf(epoch).GetEnumerator();

            for (int batch = 0; ; batch++)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // The scope is open while the next batch is made, so the batch's tensors are freed with the step's.
                using var scope = NewDisposeScope();
                if (!batches.MoveNext())
                {
                    break;
                }

                learningRate = LearningRateSchedule.At(step, totalSteps, warmupSteps, _options.LearningRate);
                foreach (var group in optimizer.ParamGroups)
                {
                    group.LearningRate = learningRate;
                }

                var images = MemoryLayouts.Arrange(batches.Current.Images.to(_device), layout);
                var labels = batches.Current.Labels.to(_device);

                optimizer.zero_grad();
                var logits = model.forward(images, labels);
                var loss = Heads.ClassificationHead.Loss(logits, labels);
                loss.backward();
                optimizer.step();

                long batchSize = labels.shape[0];
                lossSum += loss.item<float>() * batchSize;
                correct += logits.argmax(1).eq(labels).sum().item<long>();
                seen += batchSize;
                step++;

                var throughput = seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
                Progress?.Report(new TrainingProgress(headName, epoch, _options.Epochs, Math.Min(batch + 1, stepsPerEpoch), stepsPerEpoch, lossSum / seen, (double)correct / seen, throughput));
            }

            clock.Stop();
            if (seen == 0)
            {
                throw new InvalidOperationException($"Epoch {epoch} of {headName} had no training images: every file was skipped as unreadable. Check the data with 'reprokit data verify'.");
            }

            double? testAccuracy = evaluate?.Invoke();

            if (!double.IsFinite(lossSum))
            {
                throw new InvalidOperationException($"Training of {headName} diverged in epoch {epoch}: the loss is {lossSum / seen}. Lower the learning rate (now {_options.LearningRate}) or the scale s.");
            }

            var metrics = new EpochMetrics(
                headName,
                epoch,
                lossSum / seen,
                (double)correct / seen,
                testAccuracy,
                learningRate,
                clock.Elapsed.TotalSeconds,
                seen / Math.Max(clock.Elapsed.TotalSeconds, 1e-9),
                Environment.WorkingSet / (1024.0 * 1024.0));
            history.Add(metrics);
            EpochCompleted?.Invoke(metrics);
        }

        return history;
    }

    // The order of epoch e comes from a generator seeded with (seed, e). Flips draw from the same generator, batch by
    // batch, so every model trained with the same options receives the same images in the same order.
    private IEnumerable<(Tensor Images, Tensor Labels)> InMemoryBatches(LabeledImages train, int epoch)
    {
        using var generator = new Generator((ulong)(_options.Seed * 1000 + epoch));
        using var order = randperm(train.Count, generator: generator).DetachFromDisposeScope();
        long batches = (train.Count + _options.BatchSize - 1) / _options.BatchSize;
        for (long batch = 0; batch < batches; batch++)
        {
            var indices = order.narrow(0, batch * _options.BatchSize, Math.Min(_options.BatchSize, train.Count - (batch * _options.BatchSize)));
            var images = train.Images.index_select(0, indices);
            var labels = train.Labels.index_select(0, indices);
            if (_options.HorizontalFlip)
            {
                var flip = rand(new[] { indices.shape[0] }, generator: generator) < 0.5;
                images = where(flip.view(-1, 1, 1, 1), images.flip(3), images);
            }

            yield return (images, labels);
        }
    }
}
