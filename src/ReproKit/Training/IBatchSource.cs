using static TorchSharp.torch;

namespace ReproKit.Training;

/// <summary>
/// Labelled images delivered batch by batch, for data that does not fit in memory (decoded from image files).
/// Tensors of a batch are created while the consumer's dispose scope is active, so the consumer frees them.
/// </summary>
public interface IBatchSource
{
    /// <summary>What the data is, for logs.</summary>
    string Name { get; }

    /// <summary>The number of examples per epoch, before any bad file is skipped.</summary>
    long Count { get; }

    /// <summary>Class names, indexed by label.</summary>
    IReadOnlyList<string> ClassNames { get; }

    /// <summary>
    /// Returns the batches of epoch <paramref name="epoch"/> (one-based): images as float32 [N, C, H, W] and labels as
    /// int64 [N], on the CPU. The order and the random augmentation depend only on the source's seed and the epoch.
    /// </summary>
    IEnumerable<(Tensor Images, Tensor Labels)> Batches(int epoch, CancellationToken cancellationToken = default);
}
