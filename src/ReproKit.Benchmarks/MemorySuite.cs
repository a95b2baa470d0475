using System.Globalization;
using System.Text;
using ReproKit.Heads;
using ReproKit.Models;
using ReproKit.Reproduction;
using ReproKit.Training;
using static TorchSharp.torch;

namespace ReproKit.Benchmarks;

/// <summary>
/// Resident memory over ten epochs of the quick profile's training (compact VGG-16 at width 0.25 on the embedded
/// Fashion-MNIST data, evaluated after every epoch), to show whether a training run leaks.
/// </summary>
internal static class MemorySuite
{
    public const double MaxGrowthPercent = 5.0;

    private const int Epochs = 10;

    // Growth is measured from the end of this epoch: the first epoch still allocates the optimiser's momentum
    // buffers and libtorch's caches, which a leak check should not count.
    private const int BaselineEpoch = 2;

    private sealed record EpochMemory(int Epoch, double ResidentMebibytes, double ManagedMebibytes, double Seconds);

    public static SuiteResult Run(BenchmarkSession session)
    {
        var options = session.Options;
        var profile = ReproductionProfiles.Quick with
        {
            ImageLimit = options.MemoryImageLimit,
            Training = ReproductionProfiles.Quick.Training with { Epochs = Epochs },
        };
        HeadSpec head = HeadSpec.Lmal();

        ProgressLog.Info($"memory: {Epochs} epochs of the quick profile ({profile.Backbone.Describe()}, {head.Describe()})");
        using PreparedData data = FashionMnistPreparation.Prepare(profile, dataDirectory: null, ProgressLog.Instance);
        manual_seed(profile.Training.Seed);
        using var model = new ImageClassifier(profile.Backbone.Create(), head.CreateHead(profile.Backbone.ResolvedEmbeddingSize, data.Train.ClassNames.Count));

        var epochs = new List<EpochMemory>();
        var trainer = new Trainer(profile.Training, CPU)
        {
            EpochCompleted = metrics =>
            {
                var memory = new EpochMemory(metrics.Epoch, ReadResidentMebibytes(), GC.GetTotalMemory(forceFullCollection: false) / (1024.0 * 1024.0), metrics.Seconds);
                epochs.Add(memory);
                ProgressLog.Info(string.Create(CultureInfo.InvariantCulture, $"memory: epoch {memory.Epoch} of {Epochs}: {memory.ResidentMebibytes:F1} MiB resident, {memory.ManagedMebibytes:F1} MiB managed heap, {memory.Seconds:F1} s"));
            },
        };
        trainer.Train(model, head.DisplayName, data.Train, data.Test);

        return BuildResult(data, epochs);
    }

    /// <summary>Returns VmRSS from /proc/self/status in MiB, or <see cref="Environment.WorkingSet"/> where that file is missing.</summary>
    private static double ReadResidentMebibytes()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            string? line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            if (line is not null)
            {
                // The line reads "VmRSS:   123456 kB".
                string kilobytes = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return Environment.WorkingSet / (1024.0 * 1024.0);
    }

    private static SuiteResult BuildResult(PreparedData data, IReadOnlyList<EpochMemory> epochs)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"""
            Resident memory (VmRSS) and the managed heap at the end of each epoch of training with the kit's `Trainer`
            on {data.Train.Count:N0} training images, evaluating on {data.Test.Count:N0} after each epoch: the quick
            profile's network, batch and schedule with {Epochs} epochs and the LMAL head. Growth is measured from
            epoch {BaselineEpoch} to epoch {Epochs}, because the first epoch still allocates the optimiser's buffers. The suite
            runs first in its process, so no other suite's allocations are in the baseline. Resident memory includes the
            managed heap, which grows between full garbage collections and drops after one, so a single reading can sit
            above or below the trend; the short epochs of --quick make that more likely.

            | epoch | resident MiB | managed heap MiB | seconds |
            |---:|---:|---:|---:|
            """);
        foreach (EpochMemory epoch in epochs)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {epoch.Epoch} | {TableFormat.Mebibytes(epoch.ResidentMebibytes)} | {TableFormat.Mebibytes(epoch.ManagedMebibytes)} | {epoch.Seconds:F1} |");
        }

        double baseline = epochs.Single(e => e.Epoch == BaselineEpoch).ResidentMebibytes;
        double final = epochs.Single(e => e.Epoch == Epochs).ResidentMebibytes;
        double growth = ((final / baseline) - 1) * 100;
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Growth from epoch {BaselineEpoch} to epoch {Epochs}: {TableFormat.Percent(growth)} ({TableFormat.Mebibytes(baseline)} to {TableFormat.Mebibytes(final)} MiB).");

        bool met = growth < MaxGrowthPercent;
        var target = new TargetResult(
            "Resident memory growth from epoch 2 to epoch 10 < 5%",
            TableFormat.Percent(growth),
            met,
            met ? $"met with {MaxGrowthPercent - growth:F1} points to spare" : $"missed by {growth - MaxGrowthPercent:F1} points");
        return new SuiteResult("Memory over ten epochs", text.ToString(), [target]);
    }
}
