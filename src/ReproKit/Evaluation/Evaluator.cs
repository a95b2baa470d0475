using ReproKit.Data;
using ReproKit.Models;
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
    public static EvaluationResult Evaluate(ImageClassifier model, LabeledImages data, int batchSize, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        int classCount = data.ClassNames.Count;
        int k = Math.Min(5, classCount);
        var confusion = new long[classCount][];
        for (int i = 0; i < classCount; i++)
        {
            confusion[i] = new long[classCount];
        }

        long top5Hits = 0;
        model.eval();

        using (no_grad())
        {
            for (long start = 0; start < data.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                long length = Math.Min(batchSize, data.Count - start);
                var images = data.Images.narrow(0, start, length).to(device);
                var labels = data.Labels.narrow(0, start, length);

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

        long total = data.Count;
        long top1Hits = Enumerable.Range(0, classCount).Sum(c => confusion[c][c]);
        var perClass = Enumerable.Range(0, classCount)
            .Select(c => confusion[c].Sum() is var n and > 0 ? (double)confusion[c][c] / n : double.NaN)
            .ToList();

        return new EvaluationResult(
            total,
            total == 0 ? double.NaN : (double)top1Hits / total,
            total == 0 ? double.NaN : (double)top5Hits / total,
            data.ClassNames,
            perClass,
            confusion);
    }
}
