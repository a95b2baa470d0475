using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReproKit.Heads;
using ReproKit.Reproduction;
using ReproKit.Training;

namespace ReproKit.Notebooks;

/// <summary>A finished run, trained now or found on disk.</summary>
/// <param name="Folder">The run folder (run.json, metrics.jsonl, models/ ...).</param>
/// <param name="Manifest">run.json: configuration, versions and per-head results.</param>
/// <param name="Epochs">Every head's per-epoch metrics, in training order.</param>
/// <param name="Reused">True when the run was found on disk rather than trained in this call.</param>
public sealed record NotebookRun(string Folder, RunManifest Manifest, IReadOnlyList<EpochMetrics> Epochs, bool Reused)
{
    /// <summary>Top-1 accuracy (%) of the head with this display name (Softmax, LMCL, LMAL, ...).</summary>
    public double Top1Percent(string head) =>
        Manifest.Results.FirstOrDefault(r => string.Equals(r.Head, head, StringComparison.OrdinalIgnoreCase))?.Top1Percent
        ?? throw new ArgumentException($"This run has no head named '{head}'. It has: {string.Join(", ", Manifest.Results.Select(r => r.Head))}.", nameof(head));

    /// <summary>The saved model's path stem (for ModelDescription.Load) of the head with this display name.</summary>
    public string ModelPath(string head)
    {
        var summary = Manifest.Results.FirstOrDefault(r => string.Equals(r.Head, head, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"This run has no head named '{head}'. It has: {string.Join(", ", Manifest.Results.Select(r => r.Head))}.", nameof(head));
        return Path.Combine(Folder, summary.Model);
    }
}

/// <summary>
/// Trains a configuration once and reuses the finished run afterwards. A run's folder name carries a hash of
/// everything that decides its result (profile, heads, data folder, device), so a changed margin trains
/// again and an unchanged one is read back in milliseconds. A run is trained in a temporary folder and moved
/// into place only when it has finished, so an interrupted run is never mistaken for a finished one.
/// </summary>
public static class RunStore
{
    /// <summary>
    /// Returns the finished run of <paramref name="heads"/> under <paramref name="profile"/>, training it when
    /// there is none (or when <paramref name="retrain"/> is set).
    /// </summary>
    public static NotebookRun TrainOrReuse(
        string runsDirectory,
        ReproductionProfile profile,
        IReadOnlyList<HeadSpec> heads,
        string device = "auto",
        bool retrain = false,
        string? dataDirectory = null,
        Action<TrainingProgress>? progress = null,
        Action<EpochMetrics>? epochCompleted = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runsDirectory);
        ArgumentNullException.ThrowIfNull(profile);
        if (heads is null || heads.Count == 0)
        {
            throw new ArgumentException("Give at least one head to train, for example HeadSpec.Lmal().", nameof(heads));
        }

        string folder = Path.Combine(runsDirectory, $"{profile.Name}-{Key(profile, heads, device, dataDirectory)}");
        string runJson = Path.Combine(folder, ReproductionRunner.RunJson);
        if (!retrain && File.Exists(runJson))
        {
            return Read(folder, reused: true);
        }

        Directory.CreateDirectory(runsDirectory);
        string partial = $"{folder}.partial-{System.Environment.ProcessId}-{Guid.NewGuid():N}";
        var runner = new ReproductionRunner
        {
            Progress = progress is null ? null : new SynchronousProgress(progress),
            EpochCompleted = epochCompleted,
        };
        try
        {
            runner.Run(new ReproductionRequest(profile, heads, partial, device, dataDirectory));
            if (Directory.Exists(folder))
            {
                // Retraining: the earlier run moves aside first, then goes once the new one is in place.
                string previous = $"{folder}.previous-{Guid.NewGuid():N}";
                Directory.Move(folder, previous);
                Directory.Move(partial, folder);
                Directory.Delete(previous, recursive: true);
            }
            else
            {
                Directory.Move(partial, folder);
            }
        }
        finally
        {
            if (Directory.Exists(partial))
            {
                Directory.Delete(partial, recursive: true);
            }
        }

        return Read(folder, reused: false);
    }

    /// <summary>Reads a finished run folder.</summary>
    public static NotebookRun Read(string folder, bool reused = true)
    {
        string runJson = Path.Combine(folder, ReproductionRunner.RunJson);
        RunManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(runJson), ReproductionRunner.JsonOptions)
                ?? throw new JsonException("the file contains null");
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw new InvalidDataException($"{runJson} could not be read as a finished run ({e.Message}). Delete the folder {folder} to train it again.", e);
        }

        var epochs = MetricsLog.Read<EpochMetrics>(Path.Combine(folder, ReproductionRunner.MetricsJsonl));
        return new NotebookRun(folder, manifest, epochs, reused);
    }

    internal static string Key(ReproductionProfile profile, IReadOnlyList<HeadSpec> heads, string device, string? dataDirectory)
    {
        string text = JsonSerializer.Serialize(new { profile, heads, device, data = dataDirectory is null ? null : Path.GetFullPath(dataDirectory) }, ReproductionRunner.JsonOptions);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
    }

    // Progress<T> posts to the captured synchronisation context, which in a notebook can run the callback after
    // the cell has finished; this one calls back on the training thread.
    private sealed class SynchronousProgress(Action<TrainingProgress> callback) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => callback(value);
    }
}
