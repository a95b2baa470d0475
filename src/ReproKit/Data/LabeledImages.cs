using static TorchSharp.torch;

namespace ReproKit.Data;

/// <summary>
/// An in-memory image classification set: a float32 image tensor [N, C, H, W] (already normalised)
/// and an int64 label tensor [N], both on the CPU, with the class names. Disposing it frees both tensors.
/// </summary>
public sealed class LabeledImages : IDisposable
{
    /// <summary>Wraps the tensors after checking their shapes and label range.</summary>
    public LabeledImages(string name, Tensor images, Tensor labels, IReadOnlyList<string> classNames)
    {
        if (images.dim() != 4)
        {
            throw new ArgumentException($"Images of '{name}' must have shape [N, C, H, W], got [{string.Join(", ", images.shape)}].", nameof(images));
        }

        if (labels.dim() != 1 || labels.shape[0] != images.shape[0])
        {
            throw new ArgumentException($"'{name}' has {images.shape[0]} images but {labels.shape[0]} labels; every image needs exactly one label.", nameof(labels));
        }

        if (classNames.Count < 2)
        {
            throw new ArgumentException($"'{name}' has {classNames.Count} class(es); classification needs at least 2.", nameof(classNames));
        }

        if (labels.numel() > 0)
        {
            using var minTensor = labels.min();
            using var maxTensor = labels.max();
            long min = minTensor.item<long>();
            long max = maxTensor.item<long>();
            if (min < 0 || max >= classNames.Count)
            {
                throw new ArgumentException($"'{name}' has labels from {min} to {max}, outside [0, {classNames.Count - 1}] for its {classNames.Count} classes.", nameof(labels));
            }
        }

        Name = name;
        Images = images;
        Labels = labels;
        ClassNames = classNames;
    }

    /// <summary>Display name, for example <c>Fashion-MNIST test split</c>.</summary>
    public string Name { get; }

    /// <summary>Images, float32 [N, C, H, W].</summary>
    public Tensor Images { get; }

    /// <summary>Labels, int64 [N], in [0, ClassNames.Count).</summary>
    public Tensor Labels { get; }

    /// <summary>Class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of images.</summary>
    public long Count => Images.shape[0];

    /// <summary>Channels, height and width of one image.</summary>
    public (long Channels, long Height, long Width) ImageShape => (Images.shape[1], Images.shape[2], Images.shape[3]);

    /// <summary>Returns a new set holding the images at <paramref name="indices"/> (int64 [K]).</summary>
    public LabeledImages Select(string name, Tensor indices) =>
        new(name, Images.index_select(0, indices), Labels.index_select(0, indices), ClassNames);

    /// <summary>Number of images of each class.</summary>
    public long[] CountPerClass()
    {
        using var counts = Labels.bincount(null, ClassNames.Count);
        return counts.data<long>().ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
