using System.Text.Json;
using System.Text.Json.Serialization;
using ReproKit.Reproduction;

namespace ReproKit.Notebooks;

/// <summary>
/// The notebooks' run settings, kept in one place: <c>notebooks/settings.json</c>. Environment variables
/// override the file (the headless runner uses them to run the sequence with a small profile):
/// <c>REPROKIT_NOTEBOOK_PROFILE</c>, <c>REPROKIT_NOTEBOOK_DEVICE</c>, <c>REPROKIT_NOTEBOOK_RUNS</c> and
/// <c>REPROKIT_NOTEBOOK_RETRAIN</c> (true or false).
/// </summary>
/// <param name="Profile">quick, full or tiny (see <see cref="ReproductionProfiles"/>).</param>
/// <param name="Device">auto, cpu, cuda or cuda:N.</param>
/// <param name="RunsDirectory">Where trained runs are kept and looked up; relative paths are relative to the settings file.</param>
/// <param name="Retrain">Train again even when a finished run of the same configuration exists.</param>
public sealed record NotebookSettings(
    string Profile = "quick",
    string Device = "auto",
    [property: JsonPropertyName("runs")] string RunsDirectory = "../runs/notebooks",
    bool Retrain = false)
{
    /// <summary>The settings file name, looked up in the current folder and in the repository's notebooks folder.</summary>
    public const string FileName = "settings.json";

    /// <summary>The file the settings came from, or null when none was found and the defaults apply.</summary>
    [JsonIgnore]
    public string? SourceFile { get; init; }

    /// <summary>Settings overridden by an environment variable, as "NAME=value" lines.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Overrides { get; init; } = [];

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads the settings file (when there is one), applies environment overrides and validates the result.</summary>
    public static NotebookSettings Load(string? startDirectory = null)
    {
        string? file = FindFile(startDirectory ?? Directory.GetCurrentDirectory());
        NotebookSettings settings = new();
        if (file is not null)
        {
            try
            {
                settings = JsonSerializer.Deserialize<NotebookSettings>(File.ReadAllText(file), Options)
                    ?? throw new JsonException("the file contains null");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{file} is not valid notebook settings: {e.Message} Expected an object such as {{\"profile\": \"quick\", \"device\": \"auto\", \"runs\": \"../runs/notebooks\", \"retrain\": false}}.", e);
            }

            settings = settings with { SourceFile = file };
        }

        var overrides = new List<string>();
        string? Override(string name)
        {
            string? value = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                return null;
            }

            overrides.Add($"{name}={value}");
            return value.Trim();
        }

        settings = settings with
        {
            Profile = Override("REPROKIT_NOTEBOOK_PROFILE") ?? settings.Profile,
            Device = Override("REPROKIT_NOTEBOOK_DEVICE") ?? settings.Device,
            RunsDirectory = Override("REPROKIT_NOTEBOOK_RUNS") ?? settings.RunsDirectory,
        };
        string? retrain = Override("REPROKIT_NOTEBOOK_RETRAIN");
        if (retrain is not null)
        {
            settings = settings with
            {
                Retrain = bool.TryParse(retrain, out bool parsed)
                    ? parsed
                    : throw new ArgumentException($"REPROKIT_NOTEBOOK_RETRAIN is '{retrain}', but it must be true or false."),
            };
        }

        settings = settings with { Overrides = overrides };
        settings.Validate();
        return settings;
    }

    /// <summary>The profile these settings name.</summary>
    public ReproductionProfile ResolveProfile() => ReproductionProfiles.Get(Profile);

    /// <summary>The runs folder as an absolute path.</summary>
    public string ResolveRunsDirectory()
    {
        string baseDirectory = SourceFile is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(SourceFile))!;
        return Path.GetFullPath(Path.Combine(baseDirectory, RunsDirectory));
    }

    private void Validate()
    {
        string where = SourceFile is null ? "the notebook settings" : SourceFile;
        if (!ReproductionProfiles.All.Any(p => string.Equals(p.Name, Profile, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"Profile '{Profile}' in {where} does not exist. Choose one of: {string.Join(", ", ReproductionProfiles.All.Select(p => p.Name))}.");
        }

        if (string.IsNullOrWhiteSpace(RunsDirectory))
        {
            throw new ArgumentException($"The runs folder in {where} is empty. Give a folder, for example \"../runs/notebooks\".");
        }
    }

    private static string? FindFile(string startDirectory)
    {
        string local = Path.Combine(startDirectory, FileName);
        if (File.Exists(local))
        {
            return Path.GetFullPath(local);
        }

        string? root = ReproKit.Data.FashionMnist.FindRepositoryRoot();
        string? inRepository = root is null ? null : Path.Combine(root, "notebooks", FileName);
        return inRepository is not null && File.Exists(inRepository) ? inRepository : null;
    }
}
