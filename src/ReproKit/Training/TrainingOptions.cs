using System.Globalization;

namespace ReproKit.Training;

/// <summary>
/// Optimiser and schedule settings: SGD with momentum and weight decay, a linear warm-up, then cosine
/// decay of the learning rate to zero, stepped every batch.
/// </summary>
/// <param name="Epochs">Passes over the training set, at least 1.</param>
/// <param name="BatchSize">Images per step, at least 1.</param>
/// <param name="LearningRate">Peak learning rate, greater than 0.</param>
/// <param name="Momentum">SGD momentum in [0, 1).</param>
/// <param name="WeightDecay">L2 weight decay, at least 0.</param>
/// <param name="WarmupEpochs">Epochs of linear warm-up from 0 to the peak rate, in [0, Epochs]; fractions allowed.</param>
/// <param name="Seed">Seeds weight initialisation, data order and augmentation.</param>
/// <param name="HorizontalFlip">Flip each training image left-right with probability 0.5.</param>
/// <param name="Layout">Memory layout of batches and convolution weights during training; <see cref="MemoryLayout.Auto"/>
/// is channels last on the CPU. It changes speed, but the layouts round differently, so the trained weights differ slightly.</param>
public sealed record TrainingOptions(
    int Epochs = 4,
    int BatchSize = 128,
    double LearningRate = 0.1,
    double Momentum = 0.9,
    double WeightDecay = 5e-4,
    double WarmupEpochs = 0.5,
    long Seed = 1,
    bool HorizontalFlip = true,
    MemoryLayout Layout = MemoryLayout.Auto)
{
    /// <summary>Throws an error that names the first invalid setting, its value and the allowed range.</summary>
    public void Validate()
    {
        Require(Epochs >= 1, nameof(Epochs), Epochs, "at least 1");
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "at least 1");
        Require(double.IsFinite(LearningRate) && LearningRate > 0, nameof(LearningRate), LearningRate, "a finite number greater than 0");
        Require(Momentum is >= 0 and < 1, nameof(Momentum), Momentum, "in [0, 1)");
        Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, nameof(WeightDecay), WeightDecay, "a finite number of at least 0");
        Require(Enum.IsDefined(Layout), nameof(Layout), Layout, "auto, channels-first or channels-last");
        Require(WarmupEpochs >= 0 && WarmupEpochs <= Epochs, nameof(WarmupEpochs), WarmupEpochs, $"in [0, {Epochs}] (the number of epochs)");
    }

    private static void Require(bool condition, string name, object value, string range)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, value, string.Create(CultureInfo.InvariantCulture, $"The training setting {name} is {value}, but it must be {range}."));
        }
    }
}
