using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ReproKit.Tests.Data;

namespace ReproKit.Tests.EndToEnd;

/// <summary>
/// Drives the notebooks through dotnet-interactive, the kernel that VS Code's Polyglot Notebooks extension runs,
/// over its standard-input protocol, cell by cell, as the extension does.
/// </summary>
public sealed class VsCodeKernelTests
{
    private const string KernelVersion = "1.0.712001";
    private static readonly TimeSpan CellTimeout = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData("01-setup", 0)]
    [InlineData("03-softmax-to-lmcl-and-lmal", 1)]
    [InlineData("04-figure4", 1)]
    [InlineData("05-training", 2)]
    public void Notebook_runs_in_vscode_kernel(string notebook, int expectedCharts)
    {
        using var folder = new TemporaryDirectory();
        using var kernel = Kernel.Start(folder.Combine("runs"));
        var cells = CodeCells(RepositoryPaths.Combine("notebooks", notebook + ".ipynb"));

        var html = new List<string>();
        for (int i = 0; i < cells.Count; i++)
        {
            var events = kernel.Submit(cells[i], CellTimeout);
            string? failure = events.FirstOrDefault(e => e.Type == "CommandFailed")?.Json;
            Assert.True(failure is null, $"{notebook} cell {i + 1} failed in dotnet-interactive {KernelVersion}: {failure}");
            html.AddRange(events.Where(e => e.Type is "DisplayedValueProduced" or "ReturnValueProduced").Select(e => e.Json));
        }

        Assert.Contains(html, e => e.Contains("data-reprokit-plotly", StringComparison.Ordinal));
        Assert.Equal(expectedCharts, html.Count(e => e.Contains("class=\\\"reprokit-chart\\\"", StringComparison.Ordinal)));
        Assert.Empty(kernel.NonLoopbackListeners());
    }

    private static List<string> CodeCells(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.GetProperty("cell_type").GetString() == "code")
            .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString())))
            .ToList();
    }

    private sealed record KernelEvent(string Type, string Token, string Json);

    private sealed class Kernel : IDisposable
    {
        private readonly Process _process;
        private readonly BlockingCollection<KernelEvent> _events = new();
        private int _token;

        private Kernel(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, line) =>
            {
                if (line.Data is { Length: > 0 } text && text.StartsWith('{'))
                {
                    using var json = JsonDocument.Parse(text);
                    var root = json.RootElement;
                    string type = root.TryGetProperty("eventType", out var t) ? t.GetString() ?? string.Empty : string.Empty;
                    string token = root.TryGetProperty("command", out var c) && c.ValueKind == JsonValueKind.Object && c.TryGetProperty("token", out var k) ? k.GetString() ?? string.Empty : string.Empty;
                    _events.Add(new KernelEvent(type, token, text));
                }
            };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public static Kernel Start(string runsFolder)
        {
            string root = RepositoryPaths.Root;
            var restore = Process.Start(new ProcessStartInfo("dotnet", "tool restore") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true })!;
            string restoreOutput = restore.StandardOutput.ReadToEnd() + restore.StandardError.ReadToEnd();
            restore.WaitForExit();
            Assert.True(restore.ExitCode == 0, $"dotnet tool restore failed:\n{restoreOutput}");

            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
                ? configured
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            string app = Path.Combine(packages, "microsoft.dotnet-interactive", KernelVersion, "tools", "net10.0", "any", "Microsoft.DotNet.Interactive.App.dll");
            Assert.True(File.Exists(app), $"{app} is missing after dotnet tool restore; .config/dotnet-tools.json should list microsoft.dotnet-interactive {KernelVersion}.");

            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = RepositoryPaths.Combine("notebooks"),
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[] { app, "stdio", "--default-kernel", "csharp" })
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["REPROKIT_NOTEBOOK_PROFILE"] = "tiny";
            start.Environment["REPROKIT_NOTEBOOK_RUNS"] = runsFolder;
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
            return new Kernel(Process.Start(start)!);
        }

        public List<KernelEvent> Submit(string code, TimeSpan timeout)
        {
            string token = "reprokit-" + Interlocked.Increment(ref _token).ToString(CultureInfo.InvariantCulture);
            var envelope = new { token, commandType = "SubmitCode", command = new { code, targetKernelName = "csharp" } };
            _process.StandardInput.WriteLine(JsonSerializer.Serialize(envelope));
            _process.StandardInput.Flush();

            var received = new List<KernelEvent>();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                if (!_events.TryTake(out var next, TimeSpan.FromSeconds(1)))
                {
                    Assert.False(_process.HasExited, $"dotnet-interactive exited with code {(_process.HasExited ? _process.ExitCode : 0)}");
                    continue;
                }

                if (next.Token != token)
                {
                    continue;
                }

                received.Add(next);
                if (next.Type is "CommandSucceeded" or "CommandFailed")
                {
                    return received;
                }
            }

            Assert.Fail($"The kernel did not finish a cell within {timeout.TotalMinutes} minutes.");
            return received;
        }

        /// <summary>Listening TCP sockets of the kernel process bound to an address other than loopback.</summary>
        public List<string> NonLoopbackListeners()
        {
            var inodes = new HashSet<string>();
            foreach (string fd in Directory.GetFiles($"/proc/{_process.Id}/fd"))
            {
                string? target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target[8..^1]);
                }
            }

            var listeners = new List<string>();
            foreach (string table in new[] { "tcp", "tcp6" })
            {
                foreach (string line in File.ReadLines($"/proc/{_process.Id}/net/{table}").Skip(1))
                {
                    string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    bool listening = fields[3] == "0A";
                    string address = fields[1].Split(':')[0];
                    bool loopback = address is "0100007F" or "00000000000000000000000001000000";
                    if (listening && inodes.Contains(fields[9]) && !loopback)
                    {
                        listeners.Add($"{table} {fields[1]}");
                    }
                }
            }

            return listeners;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
            _events.Dispose();
        }
    }
}
