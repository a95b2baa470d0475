using System.Security.Cryptography;
using ReproKit.Data;

namespace ReproKit.Tests.Data;

public sealed class FashionMnistTests
{
    private static string EmbeddedDirectory => RepositoryPaths.Combine("data", "fashion-mnist");

    [Fact]
    public void ClassNames_Official()
    {
        string[] expected =
        [
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
        ];

        Assert.Equal(expected, FashionMnist.ClassNames);
        Assert.Equal(FashionMnist.ClassCount, FashionMnist.ClassNames.Count);
    }

    [Fact]
    public void GetFileName_Official()
    {
        Assert.Equal("train-images-idx3-ubyte.gz", FashionMnist.GetFileName(FashionMnistSplit.Train, FashionMnistFileKind.Images));
        Assert.Equal("train-labels-idx1-ubyte.gz", FashionMnist.GetFileName(FashionMnistSplit.Train, FashionMnistFileKind.Labels));
        Assert.Equal("t10k-images-idx3-ubyte.gz", FashionMnist.GetFileName(FashionMnistSplit.Test, FashionMnistFileKind.Images));
        Assert.Equal("t10k-labels-idx1-ubyte.gz", FashionMnist.GetFileName(FashionMnistSplit.Test, FashionMnistFileKind.Labels));
    }

    [Fact]
    public void FindEmbeddedDirectory_HoldsTestSplit()
    {
        string? directory = FashionMnist.FindEmbeddedDirectory();

        Assert.NotNull(directory);
        Assert.True(File.Exists(Path.Combine(directory, "t10k-images-idx3-ubyte.gz")), $"{directory} lacks the test images.");
        Assert.True(File.Exists(Path.Combine(directory, "t10k-labels-idx1-ubyte.gz")), $"{directory} lacks the test labels.");
    }

    [Fact]
    public void Locate_TestSplitAlwaysFound()
    {
        FashionMnistLocation? location = FashionMnist.Locate(FashionMnistSplit.Test, null);

        Assert.NotNull(location);
        Assert.Equal(FashionMnistSplit.Test, location.Split);
        Assert.True(File.Exists(location.ImagesPath), $"{location.ImagesPath} does not exist.");
        Assert.True(File.Exists(location.LabelsPath), $"{location.LabelsPath} does not exist.");
    }

    [Fact]
    public void Locate_FallsBackToEmbedded()
    {
        using var temp = new TemporaryDirectory();
        var searchOrder = new List<(string, FashionMnistSource)>
        {
            (temp.Combine("absent"), FashionMnistSource.DownloadedDirectory),
            (temp.FullPath, FashionMnistSource.DebianPackage),
            (EmbeddedDirectory, FashionMnistSource.Embedded),
        };

        FashionMnistLocation? location = FashionMnist.LocateIn(FashionMnistSplit.Test, searchOrder);

        Assert.NotNull(location);
        Assert.Equal(FashionMnistSource.Embedded, location.Source);
        Assert.Equal(Path.Combine(EmbeddedDirectory, "t10k-images-idx3-ubyte.gz"), location.ImagesPath);
        Assert.Equal(Path.Combine(EmbeddedDirectory, "t10k-labels-idx1-ubyte.gz"), location.LabelsPath);
    }

    [Fact]
    public void Locate_FirstSourceWins()
    {
        using var temp = new TemporaryDirectory();
        CopyEmbedded(temp.FullPath);
        var searchOrder = new List<(string, FashionMnistSource)>
        {
            (temp.FullPath, FashionMnistSource.DownloadedDirectory),
            (EmbeddedDirectory, FashionMnistSource.Embedded),
        };

        FashionMnistLocation? location = FashionMnist.LocateIn(FashionMnistSplit.Test, searchOrder);

        Assert.NotNull(location);
        Assert.Equal(FashionMnistSource.DownloadedDirectory, location.Source);
        Assert.StartsWith(temp.FullPath, location.ImagesPath);
    }

    [Fact]
    public void Locate_TrainAbsentReturnsNull()
    {
        using var temp = new TemporaryDirectory();
        var searchOrder = new List<(string, FashionMnistSource)>
        {
            (temp.FullPath, FashionMnistSource.DownloadedDirectory),
            (EmbeddedDirectory, FashionMnistSource.Embedded),
        };

        Assert.Null(FashionMnist.LocateIn(FashionMnistSplit.Train, searchOrder));
    }

    [Fact]
    public void Locate_TestAbsentThrows()
    {
        using var temp = new TemporaryDirectory();
        var searchOrder = new List<(string, FashionMnistSource)> { (temp.FullPath, FashionMnistSource.Embedded) };

        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.LocateIn(FashionMnistSplit.Test, searchOrder));

        Assert.Contains(temp.FullPath, error.Message);
        Assert.Contains("rebuild ReproKit", error.Message);
    }

    [Fact]
    public void Locate_IncompleteFolderThrows()
    {
        using var temp = new TemporaryDirectory();
        File.Copy(Path.Combine(EmbeddedDirectory, "t10k-images-idx3-ubyte.gz"), temp.Combine("t10k-images-idx3-ubyte.gz"));
        var searchOrder = new List<(string, FashionMnistSource)>
        {
            (temp.FullPath, FashionMnistSource.DownloadedDirectory),
            (EmbeddedDirectory, FashionMnistSource.Embedded),
        };

        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.LocateIn(FashionMnistSplit.Test, searchOrder));

        Assert.Contains(temp.FullPath, error.Message);
        Assert.Contains("lacks t10k-labels-idx1-ubyte.gz", error.Message);
        Assert.Contains("interrupted", error.Message);
    }

    [Fact]
    public void Locate_UserFolderMissingFiles()
    {
        using var temp = new TemporaryDirectory();
        File.Copy(Path.Combine(EmbeddedDirectory, "t10k-images-idx3-ubyte.gz"), temp.Combine("t10k-images-idx3-ubyte.gz"));

        var testError = Assert.Throws<FileNotFoundException>(() => FashionMnist.Locate(FashionMnistSplit.Test, temp.FullPath));
        var trainError = Assert.Throws<FileNotFoundException>(() => FashionMnist.Locate(FashionMnistSplit.Train, temp.FullPath));

        Assert.Contains(temp.FullPath, testError.Message);
        Assert.Contains("lacks t10k-labels-idx1-ubyte.gz (or the same name without .gz)", testError.Message);
        Assert.Equal(temp.Combine("t10k-labels-idx1-ubyte.gz"), testError.FileName);
        Assert.Contains(temp.FullPath, trainError.Message);
        Assert.Contains("lacks train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz", trainError.Message);
    }

    [Fact]
    public void Locate_UserFolderAbsent()
    {
        using var temp = new TemporaryDirectory();
        string absent = temp.Combine("absent");

        var error = Assert.Throws<DirectoryNotFoundException>(() => FashionMnist.Locate(FashionMnistSplit.Test, absent));

        Assert.Contains(absent, error.Message);
        Assert.Contains("fetch-fashion-mnist.sh", error.Message);
    }

    [Fact]
    public void Load_UserFolderRawFiles()
    {
        using var temp = new TemporaryDirectory();
        foreach (string name in new[] { "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
        {
            temp.Write(name, IdxTestFiles.Gunzip(File.ReadAllBytes(Path.Combine(EmbeddedDirectory, name + ".gz"))));
        }

        FashionMnistLocation? location = FashionMnist.Locate(FashionMnistSplit.Test, temp.FullPath);
        Assert.NotNull(location);
        FashionMnistData data = FashionMnist.Load(location);

        Assert.Equal(FashionMnistSource.UserDirectory, location.Source);
        Assert.Equal(temp.Combine("t10k-images-idx3-ubyte"), location.ImagesPath);
        Assert.Equal(temp.Combine("t10k-labels-idx1-ubyte"), location.LabelsPath);
        Assert.Equal(FashionMnist.TestCount, data.Count);
    }

    [Fact]
    public void Load_EmbeddedTestSplit()
    {
        var location = new FashionMnistLocation(
            FashionMnistSplit.Test,
            Path.Combine(EmbeddedDirectory, "t10k-images-idx3-ubyte.gz"),
            Path.Combine(EmbeddedDirectory, "t10k-labels-idx1-ubyte.gz"),
            FashionMnistSource.Embedded);

        FashionMnistData data = FashionMnist.Load(location);

        Assert.Equal(FashionMnistSplit.Test, data.Split);
        Assert.Equal(FashionMnist.TestCount, data.Count);
        Assert.Equal(FashionMnist.TestCount, data.Labels.Length);
        Assert.Equal(FashionMnist.ImageRows, data.Images.Rows);
        Assert.Equal(FashionMnist.ImageColumns, data.Images.Columns);
        Assert.Equal("Ankle boot", FashionMnist.ClassNames[data.Labels[0]]);
        Assert.Same(location, data.Location);
    }

    [Fact]
    public void Load_CountMismatch()
    {
        using var temp = new TemporaryDirectory();
        var location = new FashionMnistLocation(
            FashionMnistSplit.Test,
            temp.Write("images", IdxTestFiles.ImagesContent(3, 28, 28)),
            temp.Write("labels", IdxTestFiles.LabelsContent(1, 2)),
            FashionMnistSource.UserDirectory);

        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(location, verifyChecksums: false));

        Assert.Contains($"'{location.ImagesPath}' contains 3 images", error.Message);
        Assert.Contains($"'{location.LabelsPath}' contains 2 labels", error.Message);
    }

    [Fact]
    public void Load_WrongImageSize()
    {
        using var temp = new TemporaryDirectory();
        var location = new FashionMnistLocation(
            FashionMnistSplit.Test,
            temp.Write("images", IdxTestFiles.ImagesContent(2, 32, 32)),
            temp.Write("labels", IdxTestFiles.LabelsContent(1, 2)),
            FashionMnistSource.UserDirectory);

        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(location, verifyChecksums: false));

        Assert.Contains(location.ImagesPath, error.Message);
        Assert.Contains("contains 32x32 images, but Fashion-MNIST images are 28x28", error.Message);
    }

    [Fact]
    public void Load_ChecksumMismatch()
    {
        using var temp = new TemporaryDirectory();
        byte[] labelsContent = IdxTestFiles.Gunzip(File.ReadAllBytes(Path.Combine(EmbeddedDirectory, "t10k-labels-idx1-ubyte.gz")));
        // Label 0 is 9 (Ankle boot); 8 keeps it in range, so only the checksum can catch the change.
        labelsContent[8] = 8;
        string labelsPath = temp.Write("t10k-labels-idx1-ubyte.gz", IdxTestFiles.Gzip(labelsContent));
        string foundMd5 = Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(labelsPath)));
        string foundContentMd5 = Convert.ToHexStringLower(MD5.HashData(labelsContent));
        var location = new FashionMnistLocation(
            FashionMnistSplit.Test,
            Path.Combine(EmbeddedDirectory, "t10k-images-idx3-ubyte.gz"),
            labelsPath,
            FashionMnistSource.UserDirectory);

        var error = Assert.Throws<InvalidDataException>(() => FashionMnist.Load(location));
        FashionMnistData unverified = FashionMnist.Load(location, verifyChecksums: false);

        Assert.Contains(labelsPath, error.Message);
        Assert.Contains("bb300cfdad3c16e7a12a480ee83cd310", error.Message);
        Assert.Contains("15d484375f8d13e6eb1aabb0c3f46965", error.Message);
        Assert.Contains($"its MD5 is {foundMd5}", error.Message);
        Assert.Contains($"its decompressed content has MD5 {foundContentMd5}", error.Message);
        Assert.Contains("fetch-fashion-mnist.sh", error.Message);
        Assert.Equal(8, unverified.Labels[0]);
    }

    [Fact]
    public void VerifyChecksum_WrongSplit()
    {
        string path = Path.Combine(EmbeddedDirectory, "t10k-labels-idx1-ubyte.gz");

        var error = Assert.Throws<InvalidDataException>(
            () => FashionMnist.VerifyChecksum(path, FashionMnistSplit.Train, FashionMnistFileKind.Labels));

        Assert.Contains("is not the official Fashion-MNIST train labels file", error.Message);
        Assert.Contains("25c81989df183df01b3e8a0aad5dffbe", error.Message);
        Assert.Contains("9018921c3c673c538a1fc5bad174d6f9", error.Message);
    }

    [DebianDataFact]
    public void Load_DebianByContentMd5()
    {
        DebianDataFactAttribute.AssertInstalled();
        var searchOrder = new List<(string, FashionMnistSource)>
        {
            (DebianDataFactAttribute.DebianDirectory, FashionMnistSource.DebianPackage),
        };

        FashionMnistLocation? train = FashionMnist.LocateIn(FashionMnistSplit.Train, searchOrder);
        FashionMnistLocation? test = FashionMnist.LocateIn(FashionMnistSplit.Test, searchOrder);
        Assert.NotNull(train);
        Assert.NotNull(test);
        // Debian compressed the files again, so only the content MD5 can accept them.
        string trainLabelsMd5 = Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(train.LabelsPath)));
        FashionMnistData trainData = FashionMnist.Load(train);
        FashionMnistData testData = FashionMnist.Load(test);

        Assert.NotEqual("25c81989df183df01b3e8a0aad5dffbe", trainLabelsMd5);
        Assert.Equal(FashionMnistSource.DebianPackage, train.Source);
        Assert.Equal(FashionMnist.TrainCount, trainData.Count);
        Assert.Equal(FashionMnist.TrainCount, trainData.Labels.Length);
        Assert.Equal(FashionMnist.TestCount, testData.Count);
    }

    private static void CopyEmbedded(string directory)
    {
        foreach (string name in new[] { "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" })
        {
            File.Copy(Path.Combine(EmbeddedDirectory, name), Path.Combine(directory, name));
        }
    }
}
