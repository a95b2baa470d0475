using ReproKit.Datasets;

namespace ReproKit.Tests.Datasets;

public sealed class ImageFolderDatasetTests : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Load_ClassesInOrdinalOrder()
    {
        // Ordinal order puts upper case first: "Zebra" < "ant" < "bat".
        string bat = WriteImage("data", "bat", "b1.png");
        string ant = WriteImage("data", "ant", "a1.jpg");
        string zebra = WriteImage("data", "Zebra", "z1.JPEG");
        string data = folder.Combine("data");

        var split = ImageFolderDataset.Load(data);

        Assert.Equal(["Zebra", "ant", "bat"], split.ClassNames);
        Assert.Equal([zebra, ant, bat], split.Items.Select(i => i.ImagePath));
        Assert.Equal([0, 1, 2], split.Items.Select(i => i.Label));
        Assert.Equal(["Zebra/z1.JPEG", "ant/a1.jpg", "bat/b1.png"], split.Items.Select(i => i.Id));
        Assert.All(split.Items, i => Assert.Null(i.Box));
        Assert.Empty(split.Warnings);
        Assert.Equal("image folder data", split.Name);
    }

    [Fact]
    public void Load_ImagesSortedWithinClass()
    {
        WriteImage("data", "cat", "b.jpg");
        WriteImage("data", "cat", "a.jpg");
        WriteImage("data", "cat", "C.jpg");

        var split = ImageFolderDataset.Load(folder.Combine("data"), "cats");

        Assert.Equal(["cat/C.jpg", "cat/a.jpg", "cat/b.jpg"], split.Items.Select(i => i.Id));
        Assert.Equal("cats", split.Name);
    }

    [Fact]
    public void Load_OtherFilesSkippedWithWarnings()
    {
        WriteImage("data", "cat", "c1.jpg");
        string notes = WriteImage("data", "cat", "notes.txt");
        string loose = WriteImage("data", "loose.jpg");
        WriteImage("data", "cat", "nested", "deep.jpg");

        var split = ImageFolderDataset.Load(folder.Combine("data"));

        var item = Assert.Single(split.Items);
        Assert.Equal("cat/c1.jpg", item.Id);
        Assert.Equal(2, split.Warnings.Count);
        Assert.Contains(split.Warnings, w => w.StartsWith($"{notes} is not an image", StringComparison.Ordinal));
        Assert.Contains(split.Warnings, w => w == $"{loose} is not inside a class folder and was skipped.");
    }

    [Fact]
    public void Load_RelativeRootGivesFullPaths()
    {
        string image = WriteImage("data", "cat", "c1.jpg");
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, folder.Combine("data"));

        var split = ImageFolderDataset.Load(relative);

        Assert.Equal(image, Assert.Single(split.Items).ImagePath);
    }

    [Fact]
    public void LoadTrainAndTest_UsesTrainClasses()
    {
        WriteImage("set", "train", "cat", "t1.jpg");
        WriteImage("set", "train", "dog", "t2.jpg");
        WriteImage("set", "val", "dog", "v1.jpg");

        var (train, test) = ImageFolderDataset.LoadTrainAndTest(folder.Combine("set"));

        Assert.Equal(["cat", "dog"], train.ClassNames);
        Assert.Equal(train.ClassNames, test.ClassNames);
        var item = Assert.Single(test.Items);
        Assert.Equal(1, item.Label);
        Assert.Equal("dog/v1.jpg", item.Id);
        Assert.Equal("image folder train", train.Name);
        Assert.Equal("image folder val", test.Name);
    }

    [Fact]
    public void LoadTrainAndTest_TestFolderFallback()
    {
        WriteImage("set", "train", "cat", "t1.jpg");
        WriteImage("set", "test", "cat", "e1.jpg");

        var (_, test) = ImageFolderDataset.LoadTrainAndTest(folder.Combine("set"));

        Assert.Equal("cat/e1.jpg", Assert.Single(test.Items).Id);
        Assert.Equal("image folder test", test.Name);
    }

    [Fact]
    public void LoadTrainAndTest_ValPreferredToTest()
    {
        WriteImage("set", "train", "cat", "t1.jpg");
        WriteImage("set", "val", "cat", "v1.jpg");
        WriteImage("set", "test", "cat", "e1.jpg");

        var (_, test) = ImageFolderDataset.LoadTrainAndTest(folder.Combine("set"));

        Assert.Equal("cat/v1.jpg", Assert.Single(test.Items).Id);
    }

    [Fact]
    public void LoadTrainAndTest_UnknownValClassRejected()
    {
        WriteImage("set", "train", "cat", "t1.jpg");
        WriteImage("set", "train", "dog", "t2.jpg");
        WriteImage("set", "val", "cat", "v1.jpg");
        WriteImage("set", "val", "fox", "v2.jpg");
        string fox = folder.Combine("set", "val", "fox");

        var error = Assert.Throws<DatasetException>(() => ImageFolderDataset.LoadTrainAndTest(folder.Combine("set")));

        Assert.Equal(fox, error.FilePath);
        Assert.Contains("Class folder 'fox'", error.Message);
        Assert.Contains("not one of the 2 training classes (cat, dog)", error.Message);
        Assert.Contains("Rename or remove it", error.Message);
    }

    [Fact]
    public void LoadTrainAndTest_MissingValRejected()
    {
        WriteImage("set", "train", "cat", "t1.jpg");
        string set = folder.Combine("set");

        var error = Assert.Throws<DatasetException>(() => ImageFolderDataset.LoadTrainAndTest(set));

        Assert.Equal(set, error.FilePath);
        Assert.Contains("needs a train/ folder and a val/ or test/ folder", error.Message);
    }

    [Fact]
    public void Load_MissingRootRejected()
    {
        string absent = folder.Combine("absent");

        var error = Assert.Throws<DatasetException>(() => ImageFolderDataset.Load(absent));

        Assert.Equal(absent, error.FilePath);
        Assert.Contains($"'{absent}' does not exist", error.Message);
    }

    [Fact]
    public void Load_NoClassFoldersRejected()
    {
        string loose = WriteImage("data", "loose.jpg");
        string data = Path.GetDirectoryName(loose)!;

        var error = Assert.Throws<DatasetException>(() => ImageFolderDataset.Load(data));

        Assert.Equal(data, error.FilePath);
        Assert.Contains("has no class folders", error.Message);
    }

    [Fact]
    public void Load_NoImagesRejected()
    {
        WriteImage("data", "cat", "notes.txt");
        Directory.CreateDirectory(folder.Combine("data", "dog"));
        string data = folder.Combine("data");

        var error = Assert.Throws<DatasetException>(() => ImageFolderDataset.Load(data));

        Assert.Equal(data, error.FilePath);
        Assert.Contains("has class folders but no images", error.Message);
    }

    private string WriteImage(params string[] parts) => folder.Write(Path.Combine(parts), [0x89, 0x50, 0x4E, 0x47]);
}
