using ReproKit.Images;
using static TorchSharp.torch;

namespace ReproKit.Tests.Images;

public sealed class ImageBatchTensorsTests
{
    [Fact]
    public void ToTensors_Batch_ShapesTypesAndValues()
    {
        TorchFixture.Ensure();
        float[] pixels = Enumerable.Range(0, 2 * 3 * 4 * 5).Select(i => i / 10f).ToArray();
        var batch = new ImageBatch(pixels, [7, 3], Count: 2, Channels: 3, Height: 4, Width: 5);

        (Tensor images, Tensor labels) = batch.ToTensors();
        using (images)
        using (labels)
        {
            Assert.Equal([2L, 3, 4, 5], images.shape);
            Assert.Equal(ScalarType.Float32, images.dtype);
            Assert.Equal([2L], labels.shape);
            Assert.Equal(ScalarType.Int64, labels.dtype);
            Assert.Equal(pixels, images.data<float>().ToArray());
            Assert.Equal([7L, 3], labels.data<long>().ToArray());

            // The tensors hold copies, so reusing the batch's arrays leaves them unchanged.
            pixels[0] = 99f;
            Assert.Equal(0f, images[0, 0, 0, 0].item<float>());
        }
    }

    [Fact]
    public void ToTensors_InconsistentBatch_Throws()
    {
        var batch = new ImageBatch(new float[10], [1], Count: 1, Channels: 3, Height: 2, Width: 2);

        var exception = Assert.Throws<ArgumentException>(() => batch.ToTensors());

        Assert.Contains("12 floats", exception.Message);
    }
}
