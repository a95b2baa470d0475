using System.Text.Json;

namespace ReproKit.Training;

/// <summary>Appends one JSON object per line to a file (JSON Lines), flushing after each line so a crash loses nothing already measured.</summary>
public sealed class MetricsLog
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Creates the log; the file and its folder are created on the first append.</summary>
    public MetricsLog(string path)
    {
        Path = path;
    }

    /// <summary>The JSON Lines file.</summary>
    public string Path { get; }

    /// <summary>Appends <paramref name="entry"/> as one line.</summary>
    public void Append<T>(T entry)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        File.AppendAllText(Path, JsonSerializer.Serialize(entry, JsonOptions) + "\n");
    }

    /// <summary>Reads every line of a JSON Lines file back.</summary>
    public static IReadOnlyList<T> Read<T>(string path) =>
        File.ReadLines(path)
            .Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<T>(line, JsonOptions) ?? throw new InvalidDataException($"'{path}' has a line that is JSON null."))
            .ToList();
}
