namespace ReproKit.Evaluation;

/// <summary>An evaluation as written to disk: which model and data it belongs to, and the result.</summary>
/// <param name="Head">Display name of the head (Softmax, LMCL, LMAL, Combined).</param>
/// <param name="Settings">The head's settings in one line.</param>
/// <param name="Model">Path of the saved model (stem of its .json and .weights files).</param>
/// <param name="Dataset">The evaluation data.</param>
/// <param name="Result">Accuracy, per-class accuracy and confusion matrix.</param>
public sealed record EvaluationRecord(string Head, string Settings, string Model, string Dataset, EvaluationResult Result);
