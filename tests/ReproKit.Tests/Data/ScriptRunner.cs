using System.Diagnostics;

namespace ReproKit.Tests.Data;

/// <summary>
/// Runs a data script the way a user would: a .sh file with bash, a .ps1 file with PowerShell 7 from the
/// repository's local .NET tool (<c>dotnet tool run pwsh -- -NoProfile -NonInteractive -File</c>), both from
/// the repository root.
/// </summary>
internal static class ScriptRunner
{
    /// <summary>The shell name that test data uses for bash.</summary>
    public const string Bash = "bash";

    /// <summary>The shell name that test data uses for PowerShell 7.</summary>
    public const string PowerShell = "pwsh";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Runs data-scripts/<paramref name="scriptStem"/>.sh or .ps1, as <paramref name="shell"/> selects, and
    /// returns its exit code and its standard output followed by its standard error.
    /// </summary>
    public static async Task<Result> RunAsync(
        string shell,
        string scriptStem,
        IReadOnlyDictionary<string, string> environment,
        params string[] arguments)
    {
        ProcessStartInfo start = shell switch
        {
            Bash => new ProcessStartInfo("bash") { ArgumentList = { RepositoryPaths.Combine("data-scripts", scriptStem + ".sh") } },
            PowerShell => PowerShellTool.CreateStartInfo(RepositoryPaths.Combine("data-scripts", scriptStem + ".ps1")),
            _ => throw new ArgumentOutOfRangeException(nameof(shell), shell, $"Expected '{Bash}' or '{PowerShell}'."),
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        return await RunAsync(start, DefaultTimeout);
    }

    /// <summary>Runs <paramref name="start"/> with redirected output and kills it after <paramref name="timeout"/>.</summary>
    public static async Task<Result> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.WorkingDirectory = RepositoryPaths.Root;
        PowerShellTool.DisableTelemetry(start);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not finish within {timeout.TotalSeconds} s.");
        }

        return new Result(process.ExitCode, await output + await error);
    }

    /// <summary>A finished script run: its exit code and its standard output followed by its standard error.</summary>
    public sealed record Result(int ExitCode, string Output);
}
