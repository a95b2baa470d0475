using ReproKit.Heads;
using ReproKit.Models;
using ReproKit.Training;

namespace ReproKit.Reproduction;

/// <summary>The content of run.json: configuration, environment, durations and per-head results.</summary>
public sealed record RunManifest(
    string Profile,
    string ProfileSummary,
    DateTimeOffset StartedAt,
    double TotalSeconds,
    BackboneSpec Backbone,
    TrainingOptions Training,
    IReadOnlyList<HeadSpec> Heads,
    string Data,
    string DatasetKey,
    EnvironmentReport Environment,
    IReadOnlyList<HeadSummary> Results,
    IReadOnlyList<string> Files,
    IReadOnlyList<ReproKit.Images.BadImage>? SkippedImages = null);

/// <summary>One head's result in run.json; accuracies in percent.</summary>
public sealed record HeadSummary(
    string Head,
    string Settings,
    double Top1Percent,
    double Top5Percent,
    IReadOnlyDictionary<string, double> PerClassTop1Percent,
    long[][] ConfusionMatrix,
    double TrainingSeconds,
    double FinalTrainLoss,
    string Model);
