namespace ReproKit.Data;

/// <summary>One Fashion-MNIST split loaded into memory.</summary>
/// <param name="Split">The split that was loaded.</param>
/// <param name="Images">The images: 28x28 gray levels 0 to 255, row-major.</param>
/// <param name="Labels">One class index per image, 0 to 9, indexing <see cref="FashionMnist.ClassNames"/>.</param>
/// <param name="Location">The files the split was read from.</param>
public sealed record FashionMnistData(
    FashionMnistSplit Split,
    IdxImages Images,
    byte[] Labels,
    FashionMnistLocation Location)
{
    /// <summary>Number of examples; the image count, which equals the label count.</summary>
    public int Count => Images.Count;
}
