namespace ReproKit.Data;

/// <summary>Name and checksums of one official Fashion-MNIST file.</summary>
/// <param name="GzipFileName">File name of the official gzip file, for example train-images-idx3-ubyte.gz.</param>
/// <param name="GzipMd5">MD5 of the official gzip file as published by Zalando, 32 lowercase hex digits.</param>
/// <param name="ContentMd5">
/// MD5 of the decompressed IDX content, 32 lowercase hex digits. It identifies files that were compressed
/// again, such as Debian's dataset-fashion-mnist copies, and raw files.
/// </param>
internal sealed record FashionMnistFileSpec(string GzipFileName, string GzipMd5, string ContentMd5)
{
    /// <summary>File name of the decompressed file: the gzip name without ".gz".</summary>
    public string RawFileName => GzipFileName[..^".gz".Length];

    /// <summary>Returns the spec of one official file.</summary>
    public static FashionMnistFileSpec For(FashionMnistSplit split, FashionMnistFileKind kind)
    {
        // Gzip MD5s: the "Get the Data" table in the README of github.com/zalandoresearch/fashion-mnist.
        // Content MD5s: `zcat F | md5sum` on the files of Debian's dataset-fashion-mnist 0.0~git20200523.55506a9-1.
        return (split, kind) switch
        {
            (FashionMnistSplit.Train, FashionMnistFileKind.Images) => new(
                "train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d", "f4a8712d7a061bf5bd6d2ca38dc4d50a"),
            (FashionMnistSplit.Train, FashionMnistFileKind.Labels) => new(
                "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe", "9018921c3c673c538a1fc5bad174d6f9"),
            (FashionMnistSplit.Test, FashionMnistFileKind.Images) => new(
                "t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79", "8181f5470baa50b63fa0f6fddb340f0a"),
            (FashionMnistSplit.Test, FashionMnistFileKind.Labels) => new(
                "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310", "15d484375f8d13e6eb1aabb0c3f46965"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), $"Unknown Fashion-MNIST file: split {split}, kind {kind}."),
        };
    }
}
