using System.Globalization;
using ReproKit.Training;
using static TorchSharp.torch;

namespace ReproKit.Benchmarks;

/// <summary>
/// Batches that already sit in memory, handed to the kit's trainer as an <see cref="IBatchSource"/>: the
/// trainer's cost without any data preparation. Epoch e yields <c>batchesInEpoch(e)</c> batches, cycling
/// through <paramref name="batches"/>.
/// </summary>
/// <remarks>
/// Each yielded tensor is an alias, a new reference to the same storage, because the trainer disposes what
/// a batch source yields at the end of the step. The source never disposes the original tensors.
/// </remarks>
internal sealed class InMemoryBatchSource(
    string name,
    IReadOnlyList<(Tensor Images, Tensor Labels)> batches,
    IReadOnlyList<string> classNames,
    Func<int, int> batchesInEpoch) : IBatchSource
{
    public string Name => name;

    /// <summary>Images in the first batch times the batches of epoch 1; the trainer uses it only for progress and the learning-rate schedule.</summary>
    public long Count => batches[0].Labels.shape[0] * batchesInEpoch(1);

    public IReadOnlyList<string> ClassNames => classNames;

    public IEnumerable<(Tensor Images, Tensor Labels)> Batches(int epoch, CancellationToken cancellationToken = default)
    {
        int count = batchesInEpoch(epoch);
        for (int i = 0; i < count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (images, labels) = batches[i % batches.Count];
            yield return (images.alias(), labels.alias());
        }
    }

    /// <summary>Class names "0" to "count - 1", for sources whose labels have no meaning.</summary>
    public static IReadOnlyList<string> NumberedClasses(int count) =>
        [.. Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture))];
}
