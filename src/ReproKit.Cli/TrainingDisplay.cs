using System.Globalization;
using ReproKit.Training;
using Spectre.Console;

namespace ReproKit.Cli;

/// <summary>
/// Shows training as a progress bar per head (with loss, accuracy and images/s) on an interactive
/// terminal, and one line per epoch always.
/// </summary>
internal static class TrainingDisplay
{
    /// <summary>Runs <paramref name="work"/>, giving it a progress sink and an epoch sink.</summary>
    public static T Run<T>(Func<IProgress<TrainingProgress>?, Action<EpochMetrics>, T> work)
    {
        static void PrintEpoch(EpochMetrics m) => AnsiConsole.MarkupLine(Markup.Escape(string.Create(
            CultureInfo.InvariantCulture,
            $"{m.Head,-8} epoch {m.Epoch,3}  loss {m.TrainLoss:F4}  train acc (margin logits) {m.TrainAccuracy * 100:F2}%  test acc {(m.TestAccuracy is double t ? (t * 100).ToString("F2", CultureInfo.InvariantCulture) + "%" : "n/a")}  lr {m.LearningRate:G3}  {m.ImagesPerSecond:F0} img/s  {m.Seconds:F1} s  RSS {m.ResidentMegabytes:F0} MiB")));

        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            return work(null, PrintEpoch);
        }

        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var progress = new SynchronousProgress<TrainingProgress>(p =>
                {
                    if (!tasks.TryGetValue(p.Head, out var task))
                    {
                        task = context.AddTask(p.Head, maxValue: (double)p.Epochs * p.StepsPerEpoch);
                        tasks[p.Head] = task;
                    }

                    task.Value = ((double)(p.Epoch - 1) * p.StepsPerEpoch) + p.Step;
                    task.Description = Markup.Escape(string.Create(
                        CultureInfo.InvariantCulture,
                        $"{p.Head,-8} epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F3} acc {p.Accuracy * 100:F1}% {p.ImagesPerSecond:F0} img/s"));
                });
                result = work(progress, PrintEpoch);
            });
        return result;
    }

    /// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread, unlike <see cref="Progress{T}"/>.</summary>
    private sealed class SynchronousProgress<TValue>(Action<TValue> handler) : IProgress<TValue>
    {
        public void Report(TValue value) => handler(value);
    }
}
