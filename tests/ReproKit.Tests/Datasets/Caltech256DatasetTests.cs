using ReproKit.Datasets;

namespace ReproKit.Tests.Datasets;

public sealed class Caltech256DatasetTests : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    public Caltech256DatasetTests() => Categories = folder.Combine("256_ObjectCategories");

    /// <summary>ROOT/256_ObjectCategories. The loader only lists the files, so the images are a few stand-in bytes.</summary>
    private string Categories { get; }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Load_TrainPerClassSplit()
    {
        WriteSmallTree();

        var (train, test, splitFile) = Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 2, Seed: 1));

        Assert.Equal(["ak47", "american-flag"], train.ClassNames);
        Assert.Equal(train.ClassNames, test.ClassNames);
        Assert.Equal([2L, 2L], train.CountPerClass());
        Assert.Equal([3L, 2L], test.CountPerClass());
        Assert.Empty(train.Items.Select(i => i.Id).Intersect(test.Items.Select(i => i.Id)));
        Assert.Equal(ImagesOf("001.ak47", "002.american-flag"), train.Items.Concat(test.Items).Select(i => i.ImagePath).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(train.Items.Concat(test.Items), i => i.Id.StartsWith("257.clutter/", StringComparison.Ordinal));
        Assert.All(train.Items.Concat(test.Items), i => Assert.Equal(i.Label == 0 ? "001.ak47" : "002.american-flag", i.Id.Split('/')[0]));
        Assert.All(train.Items.Concat(test.Items), i => Assert.Equal(Path.Combine(Categories, i.Id), i.ImagePath));
        Assert.True(File.Exists(splitFile), $"The split file {splitFile} was not written.");
    }

    [Fact]
    public void Load_SplitFileListsTrainIds()
    {
        WriteSmallTree();

        var (train, _, splitFile) = Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 2, Seed: 1));

        var listed = File.ReadLines(splitFile).Where(l => !l.StartsWith('#') && l.Length > 0);
        Assert.Equal(train.Items.Select(i => i.Id).Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.StartsWith("#", File.ReadLines(splitFile).First());
    }

    [Fact]
    public void Load_IncludeClutterAddsClass()
    {
        WriteSmallTree();

        var (train, test, _) = Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 2, Seed: 1, IncludeClutter: true));

        Assert.Equal(["ak47", "american-flag", "clutter"], train.ClassNames);
        Assert.Equal([2L, 2L, 2L], train.CountPerClass());
        Assert.Equal([3L, 2L, 1L], test.CountPerClass());
        Assert.All(train.Items.Concat(test.Items).Where(i => i.Label == 2), i => Assert.StartsWith("257.clutter/", i.Id));
    }

    [Fact]
    public void Load_SkipsOtherFilesAndFolders()
    {
        WriteSmallTree();
        string readme = WriteFile("001.ak47", "readme.txt");
        string extras = Path.Combine(Categories, "extras");
        Directory.CreateDirectory(extras);
        WriteFile("extras", "extra_0001.jpg");

        var (train, test, _) = Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 2, Seed: 1));

        Assert.Contains(train.Warnings, w => w.StartsWith($"{readme} is not an image", StringComparison.Ordinal));
        Assert.Contains(train.Warnings, w => w.StartsWith($"{extras} is not a class folder (NNN.name)", StringComparison.Ordinal));
        Assert.Equal(2, train.Warnings.Count);
        Assert.Equal(9, train.Items.Count + test.Items.Count);
        Assert.DoesNotContain(train.Items.Concat(test.Items), i => i.Id.EndsWith("readme.txt", StringComparison.Ordinal));
        Assert.DoesNotContain(train.Items.Concat(test.Items), i => i.Id.StartsWith("extras/", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ReusesSplitFile()
    {
        WriteSmallTree();
        var options = new Caltech256Options(folder.FullPath, TrainPerClass: 2, Seed: 1);
        var (firstTrain, _, firstFile) = Caltech256Dataset.Load(options);
        string added = WriteFile("001.ak47", "001_0006.jpg");

        var (secondTrain, secondTest, secondFile) = Caltech256Dataset.Load(options);

        Assert.Equal(firstFile, secondFile);
        Assert.Equal(firstTrain.Items, secondTrain.Items);
        Assert.Contains(secondTest.Items, i => i.ImagePath == added);
        Assert.Equal([4L, 2L], secondTest.CountPerClass());
    }

    [Fact]
    public void Load_ExplicitSplitFileBeatsSeed()
    {
        WriteLargeTree();
        string splitFile = folder.Combine("my-split.tsv");
        var (seed1, _, written) = Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 5, Seed: 1, SplitFile: splitFile));
        var (seed2Fresh, _, _) = Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 5, Seed: 2, SplitFile: folder.Combine("fresh.tsv")));

        var (seed2FromFile, _, read) = Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 5, Seed: 2, SplitFile: splitFile));

        Assert.Equal(splitFile, written);
        Assert.Equal(splitFile, read);
        Assert.NotEqual(TrainIds(seed1), TrainIds(seed2Fresh));
        Assert.Equal(TrainIds(seed1), TrainIds(seed2FromFile));
    }

    [Fact]
    public void Load_SeedsGiveDifferentSplits()
    {
        WriteLargeTree();

        var (seed1, _, file1) = Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 5, Seed: 1));
        var (seed2, _, file2) = Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 5, Seed: 2));

        Assert.NotEqual(file1, file2);
        Assert.Contains("seed1", Path.GetFileName(file1));
        Assert.Contains("seed2", Path.GetFileName(file2));
        Assert.Contains("train5", Path.GetFileName(file1));
        Assert.True(File.Exists(file1), $"{file1} was not written.");
        Assert.True(File.Exists(file2), $"{file2} was not written.");
        Assert.Equal([5L, 5L, 5L], seed1.CountPerClass());
        Assert.Equal([5L, 5L, 5L], seed2.CountPerClass());
        Assert.NotEqual(TrainIds(seed1), TrainIds(seed2));
    }

    [Fact]
    public void Load_SameSeedSameSplitInProcess()
    {
        WriteLargeTree();
        using var copy = new TemporaryDirectory();
        CopyTree(folder.FullPath, copy.FullPath);

        var (first, _, _) = Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 5, Seed: 3));
        var (second, _, _) = Caltech256Dataset.Load(new Caltech256Options(copy.FullPath, TrainPerClass: 5, Seed: 3));

        Assert.Equal(TrainIds(first), TrainIds(second));
    }

    [Fact]
    public void Load_SameSeedSameSplitAcrossProcesses()
    {
        WriteLargeTree();
        using var copy = new TemporaryDirectory();
        CopyTree(folder.FullPath, copy.FullPath);
        string[] common = ["data", "verify", "--dataset", "caltech256", "--train-per-class", "5", "--split-seed", "1", "--data"];

        var (firstExit, firstOutput) = CliProcess.Run(null, [.. common, folder.FullPath]);
        var (secondExit, secondOutput) = CliProcess.Run(null, [.. common, copy.FullPath]);

        Assert.True(firstExit == 0, firstOutput);
        Assert.True(secondExit == 0, secondOutput);
        string fileName = "reprokit-caltech256-split-train5-seed1.tsv";
        Assert.Equal(File.ReadAllText(folder.Combine(fileName)), File.ReadAllText(copy.Combine(fileName)));
    }

    [Fact]
    public void Load_ClutterAfterDefaultSplit()
    {
        WriteSmallTree();
        Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 2, Seed: 1));

        var (train, _, _) = Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 2, Seed: 1, IncludeClutter: true));

        Assert.Equal([2L, 2L, 2L], train.CountPerClass());
    }

    [Fact]
    public void Load_DefaultAfterClutterSplit()
    {
        WriteSmallTree();
        Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 2, Seed: 1, IncludeClutter: true));

        var (train, _, _) = Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 2, Seed: 1));

        Assert.Equal([2L, 2L], train.CountPerClass());
    }

    [Fact]
    public void Load_DeletedTrainImageRejected()
    {
        WriteSmallTree();
        var options = new Caltech256Options(folder.FullPath, TrainPerClass: 2, Seed: 1);
        var (train, _, splitFile) = Caltech256Dataset.Load(options);
        File.Delete(train.Items[0].ImagePath);

        var error = Assert.Throws<DatasetException>(() => Caltech256Dataset.Load(options));

        Assert.Equal(splitFile, error.FilePath);
        Assert.Contains($"{splitFile} lists 1 training image(s) that are not in {Categories}", error.Message);
        Assert.Contains("delete the split file", error.Message);
    }

    [Fact]
    public void Load_DeletedTestImageAccepted()
    {
        WriteSmallTree();
        var options = new Caltech256Options(folder.FullPath, TrainPerClass: 2, Seed: 1);
        var (firstTrain, firstTest, _) = Caltech256Dataset.Load(options);
        File.Delete(firstTest.Items[0].ImagePath);

        var (secondTrain, secondTest, _) = Caltech256Dataset.Load(options);

        Assert.Equal(firstTrain.Items, secondTrain.Items);
        Assert.Equal(firstTest.Items.Skip(1), secondTest.Items);
    }

    [Fact]
    public void Load_SplitFileOutsideRootRejected()
    {
        WriteSmallTree();
        string splitFile = folder.Write("split.tsv", "# written by hand\n001.ak47/001_0001.jpg\n../x\n"u8.ToArray());

        var error = Assert.Throws<DatasetException>(() => Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 2, SplitFile: splitFile)));

        Assert.Equal(splitFile, error.FilePath);
        Assert.Contains($"{splitFile}, line 3: '../x' is not a path inside {Categories}", error.Message);
        Assert.Contains("Delete the split file", error.Message);
    }

    [Fact]
    public void Load_AbsolutePathInSplitFileRejected()
    {
        WriteSmallTree();
        string outside = folder.Write("outside.jpg", [1]);
        string splitFile = folder.Write("split.tsv", System.Text.Encoding.UTF8.GetBytes(outside + "\n"));

        var error = Assert.Throws<DatasetException>(() => Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 2, SplitFile: splitFile)));

        Assert.Contains($"{splitFile}, line 1:", error.Message);
    }

    [Fact]
    public void Load_SplitFileDuplicateWarns()
    {
        WriteSmallTree();
        string splitFile = folder.Write("split.tsv", "001.ak47/001_0001.jpg\r\n001.ak47/001_0001.jpg\r\n002.american-flag/002_0002.jpg\r\n"u8.ToArray());

        var (train, _, _) = Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 2, SplitFile: splitFile));

        Assert.Equal(["001.ak47/001_0001.jpg", "002.american-flag/002_0002.jpg"], train.Items.Select(i => i.Id));
        Assert.Contains(train.Warnings, w => w == $"{splitFile}, line 2: 001.ak47/001_0001.jpg is listed twice.");
    }

    [Fact]
    public void Load_LabelsFollowNumbers()
    {
        // Alphabetically "ant" comes before "bat", but 002 comes before 010.
        WriteClass("010.ant", 3);
        WriteClass("002.bat", 3);

        var (train, test, _) = Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 1));

        Assert.Equal(["bat", "ant"], train.ClassNames);
        Assert.All(train.Items.Concat(test.Items), i => Assert.Equal(i.Label == 0 ? "002.bat" : "010.ant", i.Id.Split('/')[0]));
    }

    [Fact]
    public void Load_SmallClassWarns()
    {
        WriteClass("001.ak47", 5);
        string small = WriteClass("002.american-flag", 2);

        var (train, test, _) = Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 2));

        var warning = Assert.Single(train.Warnings);
        Assert.Contains(small, warning);
        Assert.Contains("has 2 images, not more than 2, so its test split is empty", warning);
        Assert.Equal([2L, 2L], train.CountPerClass());
        Assert.Equal([3L, 0L], test.CountPerClass());
    }

    [Fact]
    public void Load_CategoriesFolderAsRoot()
    {
        WriteSmallTree();
        string splitFile = folder.Combine("split.tsv");

        var (fromParent, _, _) = Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 2, SplitFile: splitFile));
        var (fromCategories, _, _) = Caltech256Dataset.Load(new Caltech256Options(Categories, TrainPerClass: 2, SplitFile: splitFile));

        Assert.Equal(fromParent.Items, fromCategories.Items);
        Assert.Equal(Categories, Caltech256Dataset.FindRoot(folder.FullPath));
        Assert.Equal(Categories, Caltech256Dataset.FindRoot(Categories));
    }

    [Fact]
    public void Load_MissingRootNamesScript()
    {
        string absent = folder.Combine("absent");

        var error = Assert.Throws<DatasetException>(() => Caltech256Dataset.Load(new Caltech256Options(absent)));

        Assert.Equal(absent, error.FilePath);
        Assert.Contains(absent, error.Message);
        Assert.Contains("data-scripts/fetch-caltech256.sh", error.Message);
    }

    [Fact]
    public void Load_NoClassFoldersRejected()
    {
        Directory.CreateDirectory(Path.Combine(Categories, "not-a-class"));

        var error = Assert.Throws<DatasetException>(() => Caltech256Dataset.Load(new Caltech256Options(folder.FullPath)));

        Assert.Equal(Categories, error.FilePath);
        Assert.Contains("has no class folders named NNN.name", error.Message);
    }

    [Fact]
    public void Load_OnlyClutterRejected()
    {
        WriteClass("257.clutter", 3);

        var error = Assert.Throws<DatasetException>(() => Caltech256Dataset.Load(new Caltech256Options(folder.FullPath)));

        Assert.Equal(Categories, error.FilePath);
    }

    [Fact]
    public void Load_ZeroTrainPerClassRejected()
    {
        WriteSmallTree();

        Assert.Throws<ArgumentOutOfRangeException>(() => Caltech256Dataset.Load(new Caltech256Options(folder.FullPath, TrainPerClass: 0)));
    }

    /// <summary>001.ak47 with 5 images, 002.american-flag with 4 and 257.clutter with 3.</summary>
    private void WriteSmallTree()
    {
        WriteClass("001.ak47", 5);
        WriteClass("002.american-flag", 4);
        WriteClass("257.clutter", 3);
    }

    /// <summary>Three classes of 20 images, so two draws of 5 per class are all but certain to differ.</summary>
    private void WriteLargeTree()
    {
        WriteClass("001.ak47", 20);
        WriteClass("002.american-flag", 20);
        WriteClass("003.backpack", 20);
    }

    /// <summary>Writes <paramref name="count"/> images named as Caltech-256 names them (NNN_0001.jpg) and returns the folder.</summary>
    private string WriteClass(string name, int count)
    {
        for (int i = 1; i <= count; i++)
        {
            WriteFile(name, $"{name[..3]}_{i:D4}.jpg");
        }

        return Path.Combine(Categories, name);
    }

    private string WriteFile(string classFolder, string fileName) => folder.Write(Path.Combine("256_ObjectCategories", classFolder, fileName), [0xFF, 0xD8, 0xFF, 0xD9]);

    private IEnumerable<string> ImagesOf(params string[] classFolders) =>
        classFolders.SelectMany(c => Directory.GetFiles(Path.Combine(Categories, c), "*.jpg")).Order(StringComparer.Ordinal);

    private static List<string> TrainIds(DatasetSplit train) => [.. train.Items.Select(i => i.Id).Order(StringComparer.Ordinal)];

    private static void CopyTree(string source, string target)
    {
        foreach (string file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            string copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }
}
