using ReproKit.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ReproKit.Training;

/// <summary>
/// The order in which image batches and convolution weights are stored in memory while a model trains or is
/// evaluated. The shapes stay [N, C, H, W] either way; only the strides change, and with them which
/// convolution kernels libtorch picks.
/// </summary>
public enum MemoryLayout
{
    /// <summary>Channels last on the CPU, where libtorch's oneDNN convolutions run faster with it (docs/benchmarks.md); channels first elsewhere.</summary>
    Auto,

    /// <summary>Plain contiguous NCHW tensors, libtorch's default.</summary>
    ChannelsFirst,

    /// <summary>NHWC storage behind NCHW shapes (PyTorch's <c>torch.channels_last</c>).</summary>
    ChannelsLast,
}

/// <summary>Converts tensors and models between the layouts of <see cref="MemoryLayout"/>.</summary>
public static class MemoryLayouts
{
    /// <summary>Resolves <paramref name="layout"/> for <paramref name="device"/>; the result is never <see cref="MemoryLayout.Auto"/>.</summary>
    public static MemoryLayout Resolve(MemoryLayout layout, Device device) => layout switch
    {
        MemoryLayout.Auto => device.type == DeviceType.CPU ? MemoryLayout.ChannelsLast : MemoryLayout.ChannelsFirst,
        MemoryLayout.ChannelsFirst or MemoryLayout.ChannelsLast => layout,
        _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, $"Memory layout {layout} is not one of auto, channels-first, channels-last."),
    };

    /// <summary>
    /// Returns <paramref name="tensor"/> stored in <paramref name="layout"/> (resolved, not <see cref="MemoryLayout.Auto"/>).
    /// Tensors that are not four-dimensional, and tensors already stored that way, are returned as they are.
    /// </summary>
    public static Tensor Arrange(Tensor tensor, MemoryLayout layout)
    {
        if (tensor.dim() != 4)
        {
            return tensor;
        }

        return layout switch
        {
            MemoryLayout.ChannelsLast => IsChannelsLast(tensor) ? tensor : tensor.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2),
            MemoryLayout.ChannelsFirst => tensor.contiguous(),
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "Resolve the layout with MemoryLayouts.Resolve before arranging tensors."),
        };
    }

    /// <summary>
    /// Whether a four-dimensional tensor's strides are those of a dense NHWC array, the way libtorch's
    /// <c>is_contiguous(memory_format=channels_last)</c> decides it; dimensions of size 1 may have any stride.
    /// </summary>
    public static bool IsChannelsLast(Tensor tensor)
    {
        if (tensor.dim() != 4)
        {
            return false;
        }

        long[] shape = tensor.shape;
        long[] strides = tensor.stride();
        long expected = 1;
        foreach (int dimension in (int[])[1, 3, 2, 0])
        {
            if (shape[dimension] != 1 && strides[dimension] != expected)
            {
                return false;
            }

            expected *= shape[dimension];
        }

        return true;
    }

    /// <summary>
    /// Stores every four-dimensional parameter of <paramref name="model"/> (the convolution weights) in
    /// <paramref name="layout"/>, in place: the parameters stay the same objects, so optimisers and hooks keep
    /// working. Weights must be channels first when they are saved, because TorchSharp writes a tensor's storage
    /// as it lies in memory; <see cref="ModelDescription.Save"/> and the trainer see to that.
    /// </summary>
    public static void Arrange(ImageClassifier model, MemoryLayout layout)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var _ = no_grad();
        foreach (var parameter in model.parameters())
        {
            if (parameter.dim() != 4)
            {
                continue;
            }

            using var arranged = Arrange(parameter.detach(), layout);
            if (arranged.stride().SequenceEqual(parameter.stride()))
            {
                continue;
            }

            parameter.set_(arranged);
        }
    }
}
