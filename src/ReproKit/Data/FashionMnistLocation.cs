namespace ReproKit.Data;

/// <summary>The two files of one Fashion-MNIST split and the source they were found in.</summary>
/// <param name="Split">The split the files belong to.</param>
/// <param name="ImagesPath">Full path of the IDX image file, gzip-compressed or raw.</param>
/// <param name="LabelsPath">Full path of the IDX label file, gzip-compressed or raw.</param>
/// <param name="Source">Where the files were found.</param>
public sealed record FashionMnistLocation(
    FashionMnistSplit Split,
    string ImagesPath,
    string LabelsPath,
    FashionMnistSource Source);
