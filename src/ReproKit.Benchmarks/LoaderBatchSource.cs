using ReproKit.Images;
using ReproKit.Training;
using static TorchSharp.torch;

namespace ReproKit.Benchmarks;

/// <summary>
/// The kit's image loader as the trainer's batch source: each decoded batch becomes an image and a label tensor
/// while the trainer's dispose scope is open. The reproduction runner feeds its trainer the same way, through a
/// source that is internal to the library.
/// </summary>
internal sealed class LoaderBatchSource(string name, ImageBatchLoader loader, IReadOnlyList<string> classNames) : IBatchSource
{
    public string Name => name;

    public long Count => loader.Count;

    public IReadOnlyList<string> ClassNames => classNames;

    public IEnumerable<(Tensor Images, Tensor Labels)> Batches(int epoch, CancellationToken cancellationToken = default) =>
        loader.Epoch(epoch, cancellationToken).Select(batch => batch.ToTensors());
}
