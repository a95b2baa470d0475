namespace ReproKit.Data;

/// <summary>Where <see cref="FashionMnist.Locate"/> found a split, in the order it searches.</summary>
public enum FashionMnistSource
{
    /// <summary>The folder the caller passed, for example on the command line.</summary>
    UserDirectory,

    /// <summary>The repository's data/fashion-mnist-full folder, filled by data-scripts/fetch-fashion-mnist.sh.</summary>
    DownloadedDirectory,

    /// <summary>Debian's dataset-fashion-mnist package in /usr/share/datasets/fashion-mnist.</summary>
    DebianPackage,

    /// <summary>The test split copied into the build output from the repository's data/fashion-mnist folder.</summary>
    Embedded,
}
