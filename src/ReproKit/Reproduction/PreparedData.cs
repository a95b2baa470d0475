using ReproKit.Data;

namespace ReproKit.Reproduction;

/// <summary>The training and test sets of a run, normalised, and a sentence saying where they came from.</summary>
/// <param name="Train">Training images.</param>
/// <param name="Test">Test images, never trained on.</param>
/// <param name="DatasetLabel">Column name in Table 2, for example <c>Fashion-MNIST (quick)</c>.</param>
/// <param name="Description">Which files and which split were used, for logs and run.json.</param>
/// <param name="DatasetKey">Identifies the test set so that <c>reprokit evaluate</c> can rebuild it.</param>
/// <param name="Mean">Pixel mean (of values in [0, 1]) subtracted from every image, measured on the training set.</param>
/// <param name="Std">Pixel standard deviation every centred image was divided by.</param>
public sealed record PreparedData(
    LabeledImages Train,
    LabeledImages Test,
    string DatasetLabel,
    string Description,
    string DatasetKey,
    double Mean,
    double Std) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
