using System.Diagnostics;
using System.Text.Json;

namespace ReproKit.Notebooks.Export;

/// <summary>How to run the notebook sequence headless.</summary>
/// <param name="NotebooksDirectory">The folder with the numbered notebooks (NN-name.ipynb).</param>
/// <param name="OutputDirectory">Receives each executed notebook, its log and its HTML report; it must be new or empty.</param>
/// <param name="Profile">Run profile for every notebook (overrides notebooks/settings.json), or null to keep the file's.</param>
/// <param name="Only">Run only the notebooks whose number is listed (for example 1 and 4), or all when empty.</param>
/// <param name="Timeout">Longest time one notebook may take.</param>
public sealed record NotebookRunOptions(
    string NotebooksDirectory,
    string OutputDirectory,
    string? Profile = "tiny",
    IReadOnlyList<int>? Only = null,
    TimeSpan? Timeout = null);

/// <summary>One executed notebook.</summary>
public sealed record NotebookRunResult(string Notebook, string ExecutedNotebook, string Report, TimeSpan Duration);

/// <summary>A cell failed, or the notebook could not be run; the message names the notebook and the cell.</summary>
public sealed class NotebookFailedException(string message) : Exception(message);

/// <summary>
/// Runs every notebook in order, each in a fresh kernel process (dotnet-repl, a local .NET tool listed in
/// .config/dotnet-tools.json), then exports each executed notebook to HTML. Finished runs go to a runs folder
/// inside the output folder, so every headless run starts from a clean state. dotnet-repl hosts the kernel
/// in its own process and talks to no network port.
/// </summary>
public static class NotebookRunner
{
    /// <summary>The numbered notebooks in <paramref name="directory"/>, in run order.</summary>
    public static IReadOnlyList<string> FindNotebooks(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The notebooks folder '{directory}' does not exist. Run from the repository root or pass --notebooks.");
        }

        var notebooks = Directory.GetFiles(directory, "*.ipynb")
            .Where(p => char.IsAsciiDigit(Path.GetFileName(p)[0]))
            .Order(StringComparer.Ordinal)
            .ToList();
        return notebooks.Count > 0
            ? notebooks
            : throw new FileNotFoundException($"The folder '{directory}' has no numbered notebooks (NN-name.ipynb).");
    }

    /// <summary>Runs the sequence; <paramref name="log"/> receives one line per step.</summary>
    public static IReadOnlyList<NotebookRunResult> RunAll(NotebookRunOptions options, Action<string>? log = null)
    {
        log ??= _ => { };
        var notebooks = FindNotebooks(options.NotebooksDirectory)
            .Where(p => options.Only is null || options.Only.Count == 0 || options.Only.Contains(Number(p)))
            .ToList();
        if (notebooks.Count == 0)
        {
            throw new ArgumentException($"No notebook in {options.NotebooksDirectory} has a number in {string.Join(", ", options.Only ?? [])}.");
        }

        if (Directory.Exists(options.OutputDirectory) && Directory.EnumerateFileSystemEntries(options.OutputDirectory).Any())
        {
            throw new IOException($"The output folder '{options.OutputDirectory}' is not empty. Choose a new folder, so no earlier report is overwritten.");
        }

        Directory.CreateDirectory(options.OutputDirectory);
        string notebooksDirectory = Path.GetFullPath(options.NotebooksDirectory);
        string runs = Path.Combine(Path.GetFullPath(options.OutputDirectory), "runs");

        // dotnet-repl is a local tool (.config/dotnet-tools.json). After 'dotnet tool restore' it is started from the
        // NuGet cache directly, so that the kernel's current folder is the notebooks folder, as in VS Code, and the
        // notebooks' relative #r paths resolve the same way.
        string toolDirectory = FindToolManifestRoot(notebooksDirectory) ?? FindToolManifestRoot(Directory.GetCurrentDirectory())
            ?? throw new FileNotFoundException($"No .config/dotnet-tools.json was found above {notebooksDirectory} or the current folder, so dotnet-repl cannot be restored. Run from the ReproKit repository.");
        RunTool(toolDirectory, ["tool", "restore"], null, TimeSpan.FromMinutes(5), Path.Combine(options.OutputDirectory, "tool-restore.log"),
            "'dotnet tool restore' failed, so dotnet-repl is not available. It needs the NuGet feed once; see the log");
        string repl = FindRepl(toolDirectory);

        var results = new List<NotebookRunResult>();
        foreach (string notebook in notebooks)
        {
            string name = Path.GetFileNameWithoutExtension(notebook);
            string executed = Path.Combine(Path.GetFullPath(options.OutputDirectory), name + ".ipynb");
            string logFile = Path.Combine(options.OutputDirectory, name + ".log");
            var environment = new Dictionary<string, string>
            {
                ["REPROKIT_NOTEBOOK_RUNS"] = runs,
                ["REPROKIT_NOTEBOOK_RETRAIN"] = "false",
            };
            if (options.Profile is not null)
            {
                environment["REPROKIT_NOTEBOOK_PROFILE"] = options.Profile;
            }

            log($"Running {name} ...");
            var clock = Stopwatch.StartNew();
            int exitCode = RunTool(notebooksDirectory,
                [repl, "--run", Path.GetFullPath(notebook), "--exit-after-run", "--output-format", "ipynb", "--output-path", executed],
                environment, options.Timeout ?? TimeSpan.FromMinutes(30), logFile, failureMessage: null);
            clock.Stop();
            CheckExecuted(name, executed, exitCode, logFile);
            string report = Path.Combine(options.OutputDirectory, name + ".html");
            NotebookExporter.Export(executed, report);
            log($"  {name}: {clock.Elapsed.TotalSeconds:F0} s, report {report}");
            results.Add(new NotebookRunResult(notebook, executed, report, clock.Elapsed));
        }

        return results;
    }

    /// <summary>Throws, naming the notebook and the first failing cell, unless the executed notebook ran clean.</summary>
    public static void CheckExecuted(string name, string executedPath, int exitCode, string? logFile = null)
    {
        if (!File.Exists(executedPath))
        {
            throw new NotebookFailedException($"{name}: dotnet-repl exited with code {exitCode} and wrote no executed notebook{(logFile is null ? "." : $"; see {logFile}.")}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(executedPath));
        }
        catch (JsonException e)
        {
            throw new NotebookFailedException($"{name}: the executed notebook {executedPath} is not valid JSON ({e.Message}); dotnet-repl exited with code {exitCode}{(logFile is null ? "." : $"; see {logFile}.")}");
        }

        using var owned = document;
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array)
        {
            throw new NotebookFailedException($"{name}: the executed notebook {executedPath} has no \"cells\" array; dotnet-repl exited with code {exitCode}{(logFile is null ? "." : $"; see {logFile}.")}");
        }

        int index = 0;
        foreach (var cell in cells.EnumerateArray())
        {
            index++;
            if (!cell.TryGetProperty("outputs", out var outputs))
            {
                continue;
            }

            foreach (var output in outputs.EnumerateArray())
            {
                if (output.TryGetProperty("output_type", out var type) && type.GetString() == "error")
                {
                    string source = NotebookExporter.JoinText(cell, "source");
                    string firstLine = source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "(empty)";
                    string message = output.TryGetProperty("evalue", out var e) ? e.GetString() ?? string.Empty : string.Empty;
                    throw new NotebookFailedException($"{name}, cell {index} (\"{firstLine}\") failed: {message.Split('\n')[0]}");
                }
            }
        }

        if (exitCode != 0)
        {
            throw new NotebookFailedException($"{name}: dotnet-repl exited with code {exitCode} although no cell shows an error{(logFile is null ? "." : $"; see {logFile}.")}");
        }
    }

    private static string FindRepl(string toolDirectory)
    {
        string manifest = Path.Combine(toolDirectory, ".config", "dotnet-tools.json");
        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        string version = document.RootElement.GetProperty("tools").TryGetProperty("dotnet-repl", out var tool) && tool.TryGetProperty("version", out var v)
            ? v.GetString()!
            : throw new InvalidDataException($"{manifest} does not list dotnet-repl. Add it with 'dotnet tool install dotnet-repl --version 0.3.259'.");
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string tools = Path.Combine(packages, "dotnet-repl", version, "tools");
        string? dll = Directory.Exists(tools) ? Directory.GetFiles(tools, "dotnet-repl.dll", SearchOption.AllDirectories).FirstOrDefault() : null;
        return dll ?? throw new FileNotFoundException($"dotnet-repl {version} is not in {tools} after 'dotnet tool restore'. Set NUGET_PACKAGES if your packages live elsewhere.");
    }

    private static string? FindToolManifestRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, ".config", "dotnet-tools.json")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    private static int Number(string path) =>
        int.TryParse(new string(Path.GetFileName(path).TakeWhile(char.IsAsciiDigit).ToArray()), out int n) ? n : -1;

    private static int RunTool(string workingDirectory, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, string logFile, string? failureMessage)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start 'dotnet'. Is the .NET SDK on PATH?");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            File.WriteAllText(logFile, stdout.Result + stderr.Result);
            throw new NotebookFailedException($"'dotnet {string.Join(' ', arguments.Take(4))}' ran past {timeout.TotalMinutes:F0} minutes and was stopped; see {logFile}.");
        }

        File.WriteAllText(logFile, stdout.Result + stderr.Result);
        if (failureMessage is not null && process.ExitCode != 0)
        {
            throw new NotebookFailedException($"{failureMessage}: {logFile}.");
        }

        return process.ExitCode;
    }
}
