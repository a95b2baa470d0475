using ReproKit.Data;
using ReproKit.Notebooks;
using ReproKit.Reproduction;

namespace ReproKit.Tests.Notebooks;

public sealed class NotebookSettingsTests : IDisposable
{
    private const string ProfileVariable = "REPROKIT_NOTEBOOK_PROFILE";
    private const string DeviceVariable = "REPROKIT_NOTEBOOK_DEVICE";
    private const string RunsVariable = "REPROKIT_NOTEBOOK_RUNS";
    private const string RetrainVariable = "REPROKIT_NOTEBOOK_RETRAIN";

    private static readonly string[] Variables = [ProfileVariable, DeviceVariable, RunsVariable, RetrainVariable];

    private readonly TemporaryDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Load_NoLocalFileFallsBack()
    {
        // Load falls back to the repository's notebooks/settings.json, so the defaults apply only when that file is absent.
        string? root = FashionMnist.FindRepositoryRoot();
        string? repositoryFile = root is null ? null : Path.Combine(root, "notebooks", NotebookSettings.FileName);

        NotebookSettings settings = LoadWith([], folder.FullPath);

        if (repositoryFile is not null && File.Exists(repositoryFile))
        {
            Assert.Equal(Path.GetFullPath(repositoryFile), settings.SourceFile);
        }
        else
        {
            Assert.Null(settings.SourceFile);
            Assert.Equal("quick", settings.Profile);
            Assert.Equal("auto", settings.Device);
            Assert.Equal("../runs/notebooks", settings.RunsDirectory);
            Assert.False(settings.Retrain);
        }

        Assert.Empty(settings.Overrides);
    }

    [Fact]
    public void Load_ReadsFileInStartDirectory()
    {
        string file = WriteSettings("""
            {
              // Comments and trailing commas are accepted.
              "profile": "tiny",
              "device": "cpu",
              "runs": "my-runs",
              "retrain": true,
            }
            """);

        NotebookSettings settings = LoadWith([], folder.FullPath);

        Assert.Equal(file, settings.SourceFile);
        Assert.Equal("tiny", settings.Profile);
        Assert.Equal("cpu", settings.Device);
        Assert.Equal("my-runs", settings.RunsDirectory);
        Assert.True(settings.Retrain);
        Assert.Empty(settings.Overrides);
        Assert.Same(ReproductionProfiles.Tiny, settings.ResolveProfile());
    }

    [Fact]
    public void Load_OmittedPropertiesKeepDefaults()
    {
        WriteSettings("""{ "device": "cpu" }""");

        NotebookSettings settings = LoadWith([], folder.FullPath);

        Assert.Equal("cpu", settings.Device);
        Assert.Equal("quick", settings.Profile);
        Assert.Equal("../runs/notebooks", settings.RunsDirectory);
        Assert.False(settings.Retrain);
    }

    [Fact]
    public void Load_EnvironmentOverridesFile()
    {
        WriteSettings("""{ "profile": "quick", "device": "cpu", "runs": "file-runs", "retrain": false }""");
        string runs = folder.Combine("environment-runs");

        NotebookSettings settings = LoadWith(
            new()
            {
                [ProfileVariable] = "tiny",
                [DeviceVariable] = "cuda:1",
                [RunsVariable] = runs,
                [RetrainVariable] = "TRUE",
            },
            folder.FullPath);

        Assert.Equal("tiny", settings.Profile);
        Assert.Equal("cuda:1", settings.Device);
        Assert.Equal(runs, settings.RunsDirectory);
        Assert.True(settings.Retrain);
        Assert.Equal(
            [$"{ProfileVariable}=tiny", $"{DeviceVariable}=cuda:1", $"{RunsVariable}={runs}", $"{RetrainVariable}=TRUE"],
            settings.Overrides);
    }

    [Fact]
    public void Load_BlankVariableIsNoOverride()
    {
        WriteSettings("""{ "profile": "tiny" }""");

        NotebookSettings settings = LoadWith(new() { [ProfileVariable] = "   " }, folder.FullPath);

        Assert.Equal("tiny", settings.Profile);
        Assert.Empty(settings.Overrides);
    }

    [Fact]
    public void Load_ProfileNameIgnoresCase()
    {
        WriteSettings("{}");

        NotebookSettings settings = LoadWith(new() { [ProfileVariable] = "TINY" }, folder.FullPath);

        Assert.Same(ReproductionProfiles.Tiny, settings.ResolveProfile());
    }

    [Fact]
    public void Load_UnknownProfileInFileRejected()
    {
        string file = WriteSettings("""{ "profile": "huge" }""");

        var error = Assert.Throws<ArgumentException>(() => LoadWith([], folder.FullPath));

        Assert.Contains("'huge'", error.Message);
        Assert.Contains(file, error.Message);
        Assert.Contains(string.Join(", ", ReproductionProfiles.All.Select(p => p.Name)), error.Message);
    }

    [Fact]
    public void Load_UnknownProfileInVariableRejected()
    {
        WriteSettings("""{ "profile": "quick" }""");

        var error = Assert.Throws<ArgumentException>(() => LoadWith(new() { [ProfileVariable] = "medium" }, folder.FullPath));

        Assert.Contains("'medium'", error.Message);
        foreach (var profile in ReproductionProfiles.All)
        {
            Assert.Contains(profile.Name, error.Message);
        }
    }

    [Fact]
    public void Load_MalformedJsonRejected()
    {
        string file = WriteSettings("""{ "profile": "quick", """);

        var error = Assert.Throws<InvalidDataException>(() => LoadWith([], folder.FullPath));

        Assert.Contains(file, error.Message);
        Assert.Contains("not valid notebook settings", error.Message);
    }

    [Fact]
    public void Load_UnknownPropertyRejected()
    {
        string file = WriteSettings("""{ "profile": "quick", "epochs": 3 }""");

        var error = Assert.Throws<InvalidDataException>(() => LoadWith([], folder.FullPath));

        Assert.Contains(file, error.Message);
        Assert.Contains("epochs", error.Message);
    }

    [Fact]
    public void Load_JsonNullRejected()
    {
        string file = WriteSettings("null");

        var error = Assert.Throws<InvalidDataException>(() => LoadWith([], folder.FullPath));

        Assert.Contains(file, error.Message);
    }

    [Fact]
    public void Load_EmptyRunsFolderRejected()
    {
        string file = WriteSettings("""{ "runs": "" }""");

        var error = Assert.Throws<ArgumentException>(() => LoadWith([], folder.FullPath));

        Assert.Contains(file, error.Message);
        Assert.Contains("runs folder", error.Message);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("1")]
    [InlineData("yes")]
    public void Load_InvalidRetrainValueRejected(string value)
    {
        WriteSettings("{}");

        var error = Assert.Throws<ArgumentException>(() => LoadWith(new() { [RetrainVariable] = value }, folder.FullPath));

        Assert.Contains(RetrainVariable, error.Message);
        Assert.Contains($"'{value}'", error.Message);
        Assert.Contains("true or false", error.Message);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("False", false)]
    [InlineData(" true ", true)]
    public void Load_RetrainVariableParsed(string value, bool expected)
    {
        WriteSettings($$"""{ "retrain": {{(expected ? "false" : "true")}} }""");

        NotebookSettings settings = LoadWith(new() { [RetrainVariable] = value }, folder.FullPath);

        Assert.Equal(expected, settings.Retrain);
    }

    [Fact]
    public void ResolveRunsDirectory_RelativeToSettingsFile()
    {
        string notebooks = folder.Combine("project", "notebooks");
        Directory.CreateDirectory(notebooks);
        File.WriteAllText(Path.Combine(notebooks, NotebookSettings.FileName), """{ "runs": "../runs/notebooks" }""");

        NotebookSettings settings = LoadWith([], notebooks);

        Assert.Equal(folder.Combine("project", "runs", "notebooks"), settings.ResolveRunsDirectory());
    }

    [Fact]
    public void ResolveRunsDirectory_VariableRelativeToSettingsFile()
    {
        WriteSettings("""{ "runs": "ignored" }""");

        NotebookSettings settings = LoadWith(new() { [RunsVariable] = "from-variable" }, folder.FullPath);

        Assert.Equal(folder.Combine("from-variable"), settings.ResolveRunsDirectory());
    }

    [Fact]
    public void ResolveRunsDirectory_KeepsAbsolutePath()
    {
        string absolute = folder.Combine("elsewhere", "runs");
        WriteSettings($$"""{ "runs": "{{absolute.Replace("\\", "\\\\", StringComparison.Ordinal)}}" }""");

        NotebookSettings settings = LoadWith([], folder.FullPath);

        Assert.Equal(absolute, settings.ResolveRunsDirectory());
    }

    private string WriteSettings(string json)
    {
        string path = folder.Combine(NotebookSettings.FileName);
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>Loads the settings with the REPROKIT_NOTEBOOK_* variables set to <paramref name="variables"/> (unlisted ones unset), then restores them.</summary>
    private static NotebookSettings LoadWith(Dictionary<string, string> variables, string startDirectory)
    {
        var saved = Variables.ToDictionary(name => name, Environment.GetEnvironmentVariable);
        try
        {
            foreach (string name in Variables)
            {
                Environment.SetEnvironmentVariable(name, variables.GetValueOrDefault(name));
            }

            return NotebookSettings.Load(startDirectory);
        }
        finally
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
