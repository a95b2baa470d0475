using ReproKit.Evaluation;
using ReproKit.Heads;
using ReproKit.Training;

namespace ReproKit.Reproduction;

/// <summary>The outcome of training and evaluating one head.</summary>
/// <param name="Head">The head's settings.</param>
/// <param name="Evaluation">Accuracy on the test set, scored without margin.</param>
/// <param name="Epochs">Per-epoch metrics.</param>
/// <param name="TrainingSeconds">Wall time of training, evaluation after each epoch included.</param>
/// <param name="ModelPath">Stem of the saved model (<c>.json</c> and <c>.weights</c>).</param>
public sealed record HeadRunResult(
    HeadSpec Head,
    EvaluationResult Evaluation,
    IReadOnlyList<EpochMetrics> Epochs,
    double TrainingSeconds,
    string ModelPath);
