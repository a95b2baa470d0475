namespace ReproKit.Evaluation;

/// <summary>Accuracy of a classifier on one labelled set, scored without margin.</summary>
/// <param name="Count">Images evaluated.</param>
/// <param name="Top1">Fraction whose highest-scoring class is the label, in [0, 1].</param>
/// <param name="Top5">Fraction whose label is among the five highest scores (all scores when there are fewer than five classes), in [0, 1].</param>
/// <param name="ClassNames">Class names, indexed by label.</param>
/// <param name="PerClassAccuracy">Top-1 accuracy of each class in [0, 1]; NaN for a class with no images.</param>
/// <param name="ConfusionMatrix">Counts, row = true class, column = predicted class.</param>
public sealed record EvaluationResult(
    long Count,
    double Top1,
    double Top5,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<double> PerClassAccuracy,
    long[][] ConfusionMatrix);
