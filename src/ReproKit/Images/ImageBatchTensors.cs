using static TorchSharp.torch;

namespace ReproKit.Images;

/// <summary>Conversion of <see cref="ImageBatch"/> to TorchSharp tensors.</summary>
public static class ImageBatchTensors
{
    /// <summary>
    /// Copies the batch into a float32 tensor [N, C, H, W] and an int64 label tensor [N] on the CPU. The caller
    /// disposes both. The tensors hold copies, so the batch's arrays can be reused afterwards.
    /// </summary>
    public static (Tensor Images, Tensor Labels) ToTensors(this ImageBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        long expected = (long)batch.Count * batch.Channels * batch.Height * batch.Width;
        if (batch.Pixels.LongLength != expected || batch.Labels.LongLength != batch.Count)
        {
            throw new ArgumentException(
                $"The batch declares {batch.Count} images of {batch.Channels}x{batch.Height}x{batch.Width} ({expected} floats) "
                + $"but holds {batch.Pixels.LongLength} floats and {batch.Labels.LongLength} labels.",
                nameof(batch));
        }

        Tensor images = tensor(batch.Pixels, [batch.Count, batch.Channels, batch.Height, batch.Width]);
        try
        {
            return (images, tensor(batch.Labels, [batch.Count]));
        }
        catch
        {
            images.Dispose();
            throw;
        }
    }
}
