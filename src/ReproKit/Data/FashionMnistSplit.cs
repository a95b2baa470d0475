namespace ReproKit.Data;

/// <summary>One of the two official Fashion-MNIST splits.</summary>
public enum FashionMnistSplit
{
    /// <summary>The 60,000-image training split (files train-*).</summary>
    Train,

    /// <summary>The 10,000-image test split (files t10k-*).</summary>
    Test,
}
