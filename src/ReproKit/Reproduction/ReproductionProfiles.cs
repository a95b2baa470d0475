using ReproKit.Models;
using ReproKit.Training;

namespace ReproKit.Reproduction;

/// <summary>The built-in profiles.</summary>
public static class ReproductionProfiles
{
    /// <summary>
    /// Embedded data only (8,000 training and 2,000 held-out images), compact VGG-16 at width 0.25,
    /// 8 epochs: the same result on every machine, a few minutes on two CPU cores.
    /// </summary>
    public static ReproductionProfile Quick { get; } = new(
        "quick",
        "embedded Fashion-MNIST test split divided 8,000/2,000; compact VGG-16, width 0.25",
        new BackboneSpec(BackboneKind.Compact, Width: 0.25, EmbeddingSize: 128, InputChannels: 1),
        new TrainingOptions(Epochs: 8, BatchSize: 128, LearningRate: 0.1, WarmupEpochs: 0.5, Seed: 1),
        UseFullTrainingSplit: false);

    /// <summary>
    /// The full 60,000-image training split when present (else the embedded data, with a warning in the log),
    /// compact VGG-16 at width 0.5, 15 epochs.
    /// </summary>
    public static ReproductionProfile Full { get; } = new(
        "full",
        "official 60,000/10,000 Fashion-MNIST split when present; compact VGG-16, width 0.5",
        new BackboneSpec(BackboneKind.Compact, Width: 0.5, EmbeddingSize: 128, InputChannels: 1),
        new TrainingOptions(Epochs: 15, BatchSize: 128, LearningRate: 0.1, WarmupEpochs: 1, Seed: 1),
        UseFullTrainingSplit: true);

    /// <summary>A smoke test: 600 embedded images, a narrow network, one epoch; seconds, not a result.</summary>
    public static ReproductionProfile Tiny { get; } = new(
        "tiny",
        "600 embedded images; compact VGG-16, width 0.125 (smoke test, not a result)",
        new BackboneSpec(BackboneKind.Compact, Width: 0.125, EmbeddingSize: 32, InputChannels: 1),
        new TrainingOptions(Epochs: 1, BatchSize: 64, LearningRate: 0.05, WarmupEpochs: 0, Seed: 1),
        UseFullTrainingSplit: false,
        HeldOutFraction: 0.25,
        ImageLimit: 600);

    /// <summary>
    /// The paper's setting for the image datasets: torchvision's VGG-16 at 224x224 (ImageNet weights when a weights
    /// file is given), SGD at 0.01 for 30 epochs, batch 32. It needs a CUDA GPU: two CPU cores train about two
    /// images per second.
    /// </summary>
    public static ReproductionProfile Paper { get; } = new(
        "paper",
        "VGG-16 at 224x224 on an image dataset (VOC, Caltech-256, image folder); needs a GPU",
        new BackboneSpec(BackboneKind.Vgg16, InputChannels: 3),
        new TrainingOptions(Epochs: 30, BatchSize: 32, LearningRate: 0.01, WarmupEpochs: 1, Seed: 1),
        UseFullTrainingSplit: false);

    /// <summary>All profiles, in the order shown in help text.</summary>
    public static IReadOnlyList<ReproductionProfile> All { get; } = [Quick, Full, Tiny, Paper];

    /// <summary>Returns the profile named <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No profile has that name; the message lists the valid names.</exception>
    public static ReproductionProfile Get(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Profile '{name}' does not exist. Choose one of: {string.Join(", ", All.Select(p => p.Name))}.", nameof(name));
}
