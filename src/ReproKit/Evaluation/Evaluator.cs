using ReproKit.Data;
using ReproKit.Models;
using ReproKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ReproKit.Evaluation;

/// <summary>Scores a classifier on a labelled set: top-1, top-5, per-class accuracy and the confusion matrix.</summary>
public static class Evaluator
{
    /// <summary>
    /// Runs <paramref name="model"/> in evaluation mode without labels (so no margin is applied) and
    /// compares its predictions with the labels. The model is left in evaluation mode.
    /// </summary>
    /// <remarks>Batches are arranged in <paramref name="layout"/>; the model's weights are left as they are.</remarks>
    public static EvaluationResult Evaluate(ImageClassifier model, LabeledImages data, int batchSize, Device device, MemoryLayout layout = MemoryLayout.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return Evaluate(model, Slices(data, batchSize), data.ClassNames, device, MemoryLayouts.Resolve(layout, device), CancellationToken.None);
    }

    /// <summary>Scores <paramref name="model"/> on every batch of <paramref name="data"/>'s first epoch, as the overload above.</summary>
    public static EvaluationResult Evaluate(ImageClassifier model, IBatchSource data, Device device, CancellationToken cancellationToken = default, MemoryLayout layout = MemoryLayout.Auto) =>
        Evaluate(model, data.Batches(1, cancellationToken), data.ClassNames, device, MemoryLayouts.Resolve(layout, device), cancellationToken);

    private static IEnumerable<(Tensor Images, Tensor Labels)> Slices(LabeledImages data, int batchSize)
    {
        for (long start = 0; start < data.Count; start += batchSize)
        {
            long length = Math.Min(batchSize, data.Count - start);
            yield return (data.Images.narrow(0, start, length), data.Labels.narrow(0, start, length));
        }
    }

    private static EvaluationResult Evaluate(ImageClassifier model, IEnumerable<(Tensor Images, Tensor Labels)> batches, IReadOnlyList<string> classNames, Device device, MemoryLayout layout, CancellationToken cancellationToken)
    {
        int classCount = classNames.Count;
        int k = Math.Min(5, classCount);
        var confusion = new long[classCount][];
        for (int i = 0; i < classCount; i++)
        {
            confusion[i] = new long[classCount];
        }

        long top5Hits = 0;
        long total = 0;
        model.eval();

        using (no_grad())
        {
            using var enumerator = batches.GetEnumerator();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();

                // The scope is open while the next batch is made, so the batch's tensors are freed with the step's.
                using var scope = NewDisposeScope();
                if (!enumerator.MoveNext())
                {
                    break;
                }

                var images = MemoryLayouts.Arrange(enumerator.Current.Images.to(device), layout);
                var labels = enumerator.Current.Labels.cpu();
                total += labels.shape[0];

                var scores = model.forward(images, null).cpu();
                var predicted = scores.argmax(1).data<long>().ToArray();
                var actual = labels.data<long>().ToArray();
                for (int i = 0; i < actual.Length; i++)
                {
                    confusion[actual[i]][predicted[i]]++;
                }

                var (_, topIndices) = scores.topk(k, dim: 1);
                top5Hits += topIndices.eq(labels.view(-1, 1)).any(1).sum().item<long>();
            }
        }

        long top1Hits = Enumerable.Range(0, classCount).Sum(c => confusion[c][c]);
        var perClass = Enumerable.Range(0, classCount)
            .Select(c => confusion[c].Sum() is var n and > 0 ? (double)confusion[c][c] / n : double.NaN)
            .ToList();

        return new EvaluationResult(
            total,
            total == 0 ? double.NaN : (double)top1Hits / total,
            total == 0 ? double.NaN : (double)top5Hits / total,
            classNames,
            perClass,
            confusion);
    }
}
