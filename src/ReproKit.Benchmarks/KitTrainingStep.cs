using ReproKit.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ReproKit.Benchmarks;

/// <summary>Training-step throughput of the kit: its own <see cref="Trainer"/> on one random batch held in memory.</summary>
internal static class KitTrainingStep
{
    /// <summary>
    /// Builds the configuration's model, trains <paramref name="warmupSteps"/> untimed steps (epoch 1), then
    /// <paramref name="timedSteps"/> steps (epoch 2) and returns the images per second of epoch 2 as the trainer
    /// timed it. The trainer's step includes what every kit run does: the learning-rate schedule, and reading back
    /// the loss and the number of correct predictions. <paramref name="layout"/> is the trainer's memory layout;
    /// the default, <see cref="MemoryLayout.Auto"/>, is what every kit run on the CPU uses.
    /// </summary>
    public static double MeasureImagesPerSecond(TrainingConfiguration configuration, int warmupSteps, int timedSteps, MemoryLayout layout = MemoryLayout.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timedSteps);

        double seconds = TimeSteps(configuration, warmupSteps, timedSteps, layout);

        // Collect the disposed model's wrappers now rather than during the next measurement.
        GC.Collect();
        GC.WaitForPendingFinalizers();

        return (double)timedSteps * configuration.BatchSize / seconds;
    }

    private static double TimeSteps(TrainingConfiguration configuration, int warmupSteps, int timedSteps, MemoryLayout layout)
    {
        torch.manual_seed(1);
        using var model = configuration.CreateKitModel();
        using var images = randn([configuration.BatchSize, 3, configuration.ImageSize, configuration.ImageSize]);
        using var labels = randint(configuration.Classes, [configuration.BatchSize], dtype: ScalarType.Int64);

        var source = new InMemoryBatchSource(
            "random batch",
            [(images, labels)],
            InMemoryBatchSource.NumberedClasses(configuration.Classes),
            epoch => epoch == 1 ? warmupSteps : timedSteps);
        var options = new TrainingOptions(
            Epochs: 2,
            BatchSize: configuration.BatchSize,
            LearningRate: TrainingConfiguration.LearningRate,
            WarmupEpochs: 0,
            HorizontalFlip: false,
            Layout: layout);

        var history = new Trainer(options, CPU).Train(model, configuration.Head.DisplayName, source);
        return history[1].Seconds;
    }
}
