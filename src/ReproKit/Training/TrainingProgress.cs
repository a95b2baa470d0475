namespace ReproKit.Training;

/// <summary>A progress report after one training step.</summary>
/// <param name="Head">Display name of the head being trained.</param>
/// <param name="Epoch">One-based epoch.</param>
/// <param name="Epochs">Total epochs.</param>
/// <param name="Step">One-based step within the epoch.</param>
/// <param name="StepsPerEpoch">Steps in one epoch.</param>
/// <param name="Loss">Mean loss over the epoch so far.</param>
/// <param name="Accuracy">Training top-1 accuracy over the epoch so far, in [0, 1], measured on the margin logits.</param>
/// <param name="ImagesPerSecond">Training throughput over the epoch so far.</param>
public sealed record TrainingProgress(string Head, int Epoch, int Epochs, int Step, int StepsPerEpoch, double Loss, double Accuracy, double ImagesPerSecond);
