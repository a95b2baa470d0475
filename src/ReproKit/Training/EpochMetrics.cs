namespace ReproKit.Training;

/// <summary>What one epoch of training measured; one line of <c>metrics.jsonl</c>.</summary>
/// <param name="Head">Display name of the head.</param>
/// <param name="Epoch">One-based epoch.</param>
/// <param name="TrainLoss">Mean training loss (with the margin).</param>
/// <param name="TrainAccuracy">Training top-1 accuracy in [0, 1], on the margin logits.</param>
/// <param name="TestAccuracy">Top-1 accuracy on the evaluation set in [0, 1], without margin; null where no evaluation set was given.</param>
/// <param name="LearningRate">Learning rate of the epoch's last step.</param>
/// <param name="Seconds">Wall time of the epoch's training steps.</param>
/// <param name="ImagesPerSecond">Training throughput.</param>
/// <param name="ResidentMegabytes">Resident memory of the process at the end of the epoch, in MiB.</param>
public sealed record EpochMetrics(
    string Head,
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double? TestAccuracy,
    double LearningRate,
    double Seconds,
    double ImagesPerSecond,
    double ResidentMegabytes);
