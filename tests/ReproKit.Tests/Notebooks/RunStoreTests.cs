using ReproKit.Heads;
using ReproKit.Notebooks;
using ReproKit.Reproduction;

namespace ReproKit.Tests.Notebooks;

public sealed class RunStoreTests : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    public RunStoreTests() => TorchFixture.Ensure();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Key_EqualForEqualInputs()
    {
        string first = RunStore.Key(ReproductionProfiles.Tiny, [HeadSpec.Lmcl(cosineMargin: 0.35)], "cpu", null);
        string second = RunStore.Key(ReproductionProfiles.Tiny, [HeadSpec.Lmcl(cosineMargin: 0.35)], "cpu", null);

        Assert.Equal(first, second);
        Assert.Matches("^[0-9a-f]{12}$", first);
    }

    [Fact]
    public void Key_ChangesWithMargin()
    {
        string original = RunStore.Key(ReproductionProfiles.Tiny, [HeadSpec.Lmcl(cosineMargin: 0.35)], "cpu", null);
        string changed = RunStore.Key(ReproductionProfiles.Tiny, [HeadSpec.Lmcl(cosineMargin: 0.3)], "cpu", null);
        string angular = RunStore.Key(ReproductionProfiles.Tiny, [HeadSpec.Lmal(marginRadians: 0.5)], "cpu", null);
        string angularChanged = RunStore.Key(ReproductionProfiles.Tiny, [HeadSpec.Lmal(marginRadians: 0.4)], "cpu", null);

        Assert.NotEqual(original, changed);
        Assert.NotEqual(angular, angularChanged);
    }

    [Fact]
    public void Key_ChangesWithProfileDeviceAndData()
    {
        HeadSpec[] heads = [HeadSpec.Softmax()];
        string tiny = RunStore.Key(ReproductionProfiles.Tiny, heads, "cpu", null);

        Assert.NotEqual(tiny, RunStore.Key(ReproductionProfiles.Quick, heads, "cpu", null));
        Assert.NotEqual(tiny, RunStore.Key(ReproductionProfiles.Tiny with { Training = ReproductionProfiles.Tiny.Training with { Epochs = 2 } }, heads, "cpu", null));
        Assert.NotEqual(tiny, RunStore.Key(ReproductionProfiles.Tiny, heads, "cuda", null));
        Assert.NotEqual(tiny, RunStore.Key(ReproductionProfiles.Tiny, heads, "cpu", folder.FullPath));
        Assert.NotEqual(tiny, RunStore.Key(ReproductionProfiles.Tiny, [HeadSpec.Softmax(), HeadSpec.Lmal()], "cpu", null));
    }

    [Fact]
    public void Key_UsesFullDataPath()
    {
        string relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), folder.FullPath);

        Assert.Equal(
            RunStore.Key(ReproductionProfiles.Tiny, [HeadSpec.Softmax()], "cpu", folder.FullPath),
            RunStore.Key(ReproductionProfiles.Tiny, [HeadSpec.Softmax()], "cpu", relative));
    }

    [Fact]
    public void TrainOrReuse_TrainsReusesAndRetrains()
    {
        string runs = folder.Combine("runs");
        HeadSpec[] heads = [HeadSpec.Softmax()];

        NotebookRun trained = RunStore.TrainOrReuse(runs, ReproductionProfiles.Tiny, heads, device: "cpu");

        Assert.False(trained.Reused);
        Assert.True(File.Exists(Path.Combine(trained.Folder, ReproductionRunner.RunJson)));
        Assert.Equal(Path.Combine(runs, $"tiny-{RunStore.Key(ReproductionProfiles.Tiny, heads, "cpu", null)}"), trained.Folder);
        Assert.Equal("tiny", trained.Manifest.Profile);
        Assert.Equal(ReproductionProfiles.Tiny.Training.Epochs, trained.Epochs.Count);
        Assert.InRange(trained.Top1Percent("Softmax"), 0.0, 100.0);
        Assert.True(File.Exists(trained.ModelPath("Softmax") + ".weights"));

        NotebookRun reused = RunStore.TrainOrReuse(runs, ReproductionProfiles.Tiny, heads, device: "cpu");

        Assert.True(reused.Reused);
        Assert.Equal(trained.Folder, reused.Folder);
        Assert.Equal(trained.Manifest.StartedAt, reused.Manifest.StartedAt);
        Assert.Equal(trained.Top1Percent("Softmax"), reused.Top1Percent("Softmax"));
        Assert.True(File.Exists(reused.ModelPath("Softmax") + ".weights"));

        NotebookRun retrained = RunStore.TrainOrReuse(runs, ReproductionProfiles.Tiny, heads, device: "cpu", retrain: true);

        Assert.False(retrained.Reused);
        Assert.Equal(trained.Folder, retrained.Folder);
        Assert.NotEqual(trained.Manifest.StartedAt, retrained.Manifest.StartedAt);
        Assert.Equal([trained.Folder], Directory.GetFileSystemEntries(runs));
        Assert.Empty(Directory.GetDirectories(runs, "*.partial-*"));
        Assert.Empty(Directory.GetDirectories(runs, "*.previous-*"));
    }

    [Fact]
    public void TrainOrReuse_NoHeadsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => RunStore.TrainOrReuse(folder.Combine("runs"), ReproductionProfiles.Tiny, []));

        Assert.Equal("heads", error.ParamName);
        Assert.False(Directory.Exists(folder.Combine("runs")));
    }

    [Fact]
    public void TrainOrReuse_CorruptRunNotRetrained()
    {
        string runs = folder.Combine("runs");
        HeadSpec[] heads = [HeadSpec.Softmax()];
        string runFolder = Path.Combine(runs, $"tiny-{RunStore.Key(ReproductionProfiles.Tiny, heads, "cpu", null)}");
        Directory.CreateDirectory(runFolder);
        File.WriteAllText(Path.Combine(runFolder, ReproductionRunner.RunJson), "{ \"profile\": ");

        var error = Assert.Throws<InvalidDataException>(() => RunStore.TrainOrReuse(runs, ReproductionProfiles.Tiny, heads, device: "cpu"));

        Assert.Contains(Path.Combine(runFolder, ReproductionRunner.RunJson), error.Message);
        Assert.Equal([runFolder], Directory.GetFileSystemEntries(runs));
    }

    [Fact]
    public void Read_CorruptRunJsonRejected()
    {
        string runFolder = folder.Combine("tiny-000000000000");
        Directory.CreateDirectory(runFolder);
        string runJson = Path.Combine(runFolder, ReproductionRunner.RunJson);
        File.WriteAllText(runJson, "not json");

        var error = Assert.Throws<InvalidDataException>(() => RunStore.Read(runFolder));

        Assert.Contains(runJson, error.Message);
        Assert.Contains($"Delete the folder {runFolder}", error.Message);
    }

    [Fact]
    public void Read_MissingRunJsonRejected()
    {
        string runFolder = folder.Combine("tiny-111111111111");
        Directory.CreateDirectory(runFolder);

        var error = Assert.Throws<InvalidDataException>(() => RunStore.Read(runFolder));

        Assert.Contains(Path.Combine(runFolder, ReproductionRunner.RunJson), error.Message);
        Assert.Contains("Delete the folder", error.Message);
    }
}
