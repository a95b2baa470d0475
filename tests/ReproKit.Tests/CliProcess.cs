using System.Diagnostics;

namespace ReproKit.Tests;

/// <summary>Runs the command-line program in a fresh process, as a user would.</summary>
internal static class CliProcess
{
    /// <summary>Runs ReproKit.Cli with <paramref name="arguments"/> and returns its exit code and combined output.</summary>
    public static (int ExitCode, string Output) Run(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ReproKit.Cli.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "the CLI did not finish within 5 minutes");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
