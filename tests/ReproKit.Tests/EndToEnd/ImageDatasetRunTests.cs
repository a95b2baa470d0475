using System.Text.Json;
using ReproKit.Tests.Datasets;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ReproKit.Tests.EndToEnd;

/// <summary>reprokit reproduce on image datasets, through the CLI in a fresh process, as a user runs it.</summary>
public sealed class ImageDatasetRunTests
{
    private static readonly string[] BadFiles = ["truncated.jpg", "empty.jpg", "notes.jpg"];

    [Fact]
    public void Folder_run_skips_and_lists_bad_files()
    {
        using var folder = new TemporaryDirectory();
        string data = WriteImageFolder(folder);
        string run = folder.Combine("run");

        var (exitCode, log) = CliProcess.Run(null, "reproduce", "--profile", "tiny", "--dataset", "folder", "--data", data, "--image-size", "32", "--workers", "2", "--skip-bad-images", "--out", run);

        Assert.True(exitCode == 0, log);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json")));
        var skipped = manifest.RootElement.GetProperty("skipped_images").EnumerateArray().Select(e => Path.GetFileName(e.GetProperty("path").GetString()!)).Order().ToArray();
        Assert.Equal(BadFiles.Order().ToArray(), skipped);
        foreach (string bad in BadFiles)
        {
            Assert.Contains(bad, log);
        }

        Assert.Equal(3, manifest.RootElement.GetProperty("results").GetArrayLength());
        Assert.Contains("image folder", File.ReadAllText(Path.Combine(run, "table2.md")));
    }

    [Fact]
    public void Folder_run_stops_at_bad_file()
    {
        using var folder = new TemporaryDirectory();
        string data = WriteImageFolder(folder);

        var (exitCode, log) = CliProcess.Run(null, "reproduce", "--profile", "tiny", "--dataset", "folder", "--data", data, "--image-size", "32", "--out", folder.Combine("run"));

        Assert.Equal(2, exitCode);
        Assert.Contains("--skip-bad-images", log);
        Assert.True(BadFiles.Any(log.Contains), log);
    }

    [RealVocFact]
    public void Voc2007_run_trains_on_real_files()
    {
        using var tree = new VocTree();
        tree.CopyReal(RealVoc.Ids);
        tree.WriteList("Main/trainval.txt", "000005", "000252", "000253", "000254", "000255");
        tree.WriteList("Main/test.txt", "000001", "000002", "000003", "000004");
        string run = Path.Combine(tree.Root, "run");

        var (exitCode, log) = CliProcess.Run(null, "reproduce", "--profile", "tiny", "--dataset", "voc2007", "--data", tree.Root, "--image-size", "32", "--out", run);

        Assert.True(exitCode == 0, log);
        string table = File.ReadAllText(Path.Combine(run, "table2.md"));
        Assert.Contains("VOC-2007", table);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json")));
        Assert.StartsWith("voc2007|test|DominantObject", manifest.RootElement.GetProperty("dataset_key").GetString());

        var (evaluateCode, evaluateLog) = CliProcess.Run(null, "evaluate", "--model", Path.Combine(run, "models", "lmal"));
        Assert.True(evaluateCode == 0, evaluateLog);
        Assert.Contains("4 images", evaluateLog);
    }

    [RealVocFact]
    public void Data_verify_counts_and_problems()
    {
        using var tree = new VocTree();
        tree.CopyReal(RealVoc.Ids);
        tree.WriteList("Main/train.txt", "000005", "000252");
        tree.WriteList("Main/val.txt", "000253", "000254", "000255");
        tree.WriteList("Main/trainval.txt", "000005", "000252", "000253", "000254", "000255");
        tree.WriteList("Main/test.txt", "000001", "000002", "000003", "000004");

        var (cleanCode, cleanLog) = CliProcess.Run(null, "data", "verify", "--dataset", "voc2007", "--data", tree.Root);

        Assert.True(cleanCode == 0, cleanLog);
        Assert.Contains("VOC2007 test (dominant object): 4 examples from 4 images", cleanLog);
        Assert.Contains("0 problem(s) found", cleanLog);

        tree.WriteAnnotation("000006", VocXml.Annotation(100, 100, VocXml.Object("dgo", 1, 1, 50, 50)));
        tree.WriteList("Main/test.txt", "000001", "000002", "000003", "000004", "000006", "000001");

        var (dirtyCode, dirtyLog) = CliProcess.Run(null, "data", "verify", "--dataset", "voc2007", "--data", tree.Root);

        Assert.Equal(1, dirtyCode);
        Assert.Contains("'dgo'", dirtyLog);
        Assert.Contains("listed again (first on line 1)", dirtyLog);
        Assert.Contains("2 problem(s) found", dirtyLog);
    }

    [Fact]
    public void Caltech_empty_test_split_rejected()
    {
        using var folder = new TemporaryDirectory();
        string categories = folder.Combine("256_ObjectCategories");
        foreach (string name in new[] { "001.ak47", "002.american-flag" })
        {
            Directory.CreateDirectory(Path.Combine(categories, name));
            for (int i = 0; i < 3; i++)
            {
                using var image = new Image<Rgb24>(20, 20, new Rgb24(10, 200, 10));
                image.SaveAsJpeg(Path.Combine(categories, name, $"{i}.jpg"));
            }
        }

        var (verifyCode, verifyLog) = CliProcess.Run(null, "data", "verify", "--dataset", "caltech256", "--data", folder.FullPath, "--train-per-class", "3");
        var (runCode, runLog) = CliProcess.Run(null, "reproduce", "--profile", "tiny", "--dataset", "caltech256", "--data", folder.FullPath, "--train-per-class", "3", "--image-size", "32", "--out", folder.Combine("run"));

        Assert.Equal(1, verifyCode);
        Assert.Contains("lower --train-per-class", verifyLog);
        Assert.Equal(2, runCode);
        Assert.Contains("lower --train-per-class", runLog);
        Assert.False(Directory.Exists(folder.Combine("run")));
    }

    [Theory]
    [InlineData("voc2007", "fetch-voc2007")]
    [InlineData("voc2012", "fetch-voc2012")]
    [InlineData("caltech256", "fetch-caltech256")]
    [InlineData("folder", "--data")]
    public void Verify_missing_folder_exits_2(string dataset, string hint)
    {
        using var folder = new TemporaryDirectory();
        string missing = folder.Combine("not-here");

        var (exitCode, log) = CliProcess.Run(null, "data", "verify", "--dataset", dataset, "--data", missing);

        Assert.Equal(2, exitCode);
        Assert.Contains(missing, log);
        Assert.Contains("does not exist", log);
        Assert.Contains(hint, log);
    }

    [Fact]
    public void Verify_rejects_fashion_mnist_clearly()
    {
        using var folder = new TemporaryDirectory();

        var (exitCode, log) = CliProcess.Run(null, "data", "verify", "--dataset", "fashion-mnist", "--data", folder.FullPath);

        Assert.Equal(2, exitCode);
        Assert.Contains("not an image-file dataset", log);
        Assert.DoesNotContain("is not known", log);
    }

    [Fact]
    public void Verify_file_instead_of_folder_exits_2()
    {
        using var folder = new TemporaryDirectory();
        string file = folder.Write("notes.txt", [1, 2, 3]);

        var (exitCode, log) = CliProcess.Run(null, "data", "verify", "--dataset", "voc2007", "--data", file);

        Assert.Equal(2, exitCode);
        Assert.Contains(file, log);
        Assert.Contains("is a file, not a folder", log);
    }

    [Theory]
    [InlineData("voc2007")]
    [InlineData("folder")]
    [InlineData("caltech256")]
    public void Verify_empty_folder_reports_problem(string dataset)
    {
        using var folder = new TemporaryDirectory();

        var (exitCode, log) = CliProcess.Run(null, "data", "verify", "--dataset", dataset, "--data", folder.FullPath);

        Assert.Equal(1, exitCode);
        Assert.Contains(folder.FullPath, log);
        Assert.Contains("problem(s) found", log);
    }

    [Fact]
    public void Image_dataset_needs_data_folder()
    {
        var (exitCode, log) = CliProcess.Run(null, "reproduce", "--profile", "tiny", "--dataset", "voc2007");

        Assert.Equal(2, exitCode);
        Assert.Contains("--data", log);
        Assert.Contains("fetch-voc2007", log);
    }

    [Fact]
    public void Paper_profile_rejects_fashion_mnist()
    {
        var (exitCode, log) = CliProcess.Run(null, "reproduce", "--profile", "paper");

        Assert.Equal(2, exitCode);
        Assert.Contains("image dataset", log);
    }

    // Two classes of solid-colour images (train 6 + val 4 each) and three bad files in the training split.
    private static string WriteImageFolder(TemporaryDirectory folder)
    {
        string root = folder.Combine("images");
        var colours = new Dictionary<string, Rgb24> { ["red"] = new(220, 30, 30), ["blue"] = new(30, 30, 220) };
        foreach (var (split, count) in new[] { ("train", 6), ("val", 4) })
        {
            foreach (var (name, colour) in colours)
            {
                string classFolder = Path.Combine(root, split, name);
                Directory.CreateDirectory(classFolder);
                for (int i = 0; i < count; i++)
                {
                    using var image = new Image<Rgb24>(40 + i, 36, colour);
                    image.SaveAsJpeg(Path.Combine(classFolder, $"{name}-{i}.jpg"));
                }
            }
        }

        string red = Path.Combine(root, "train", "red");
        byte[] good = File.ReadAllBytes(Path.Combine(red, "red-0.jpg"));
        File.WriteAllBytes(Path.Combine(red, "truncated.jpg"), good[..(good.Length / 3)]);
        File.WriteAllBytes(Path.Combine(red, "empty.jpg"), []);
        File.WriteAllText(Path.Combine(red, "notes.jpg"), "not a picture");
        return root;
    }
}
