namespace ReproKit.Data;

/// <summary>One of the two files of a Fashion-MNIST split.</summary>
public enum FashionMnistFileKind
{
    /// <summary>The IDX image file (*-images-idx3-ubyte).</summary>
    Images,

    /// <summary>The IDX label file (*-labels-idx1-ubyte).</summary>
    Labels,
}
