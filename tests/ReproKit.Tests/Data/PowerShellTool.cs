using System.Diagnostics;

namespace ReproKit.Tests.Data;

/// <summary>
/// PowerShell 7 from the repository's local .NET tool manifest (.config/dotnet-tools.json, package
/// "powershell"). The first use checks that <c>dotnet tool run pwsh</c> works and runs
/// <c>dotnet tool restore</c> when it does not.
/// </summary>
internal static class PowerShellTool
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromMinutes(5);

    private static readonly Lazy<string?> UnavailableReason = new(FindUnavailableReason);

    /// <summary>Whether the tests run under CI (environment variable CI=true), where every test must run.</summary>
    public static bool IsCi { get; } =
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The reason to skip a PowerShell test: why pwsh cannot run, or null when it can. Always null under
    /// CI=true, so there a missing pwsh fails the test through <see cref="AssertAvailable"/>.
    /// </summary>
    public static string? SkipReason => IsCi ? null : UnavailableReason.Value;

    /// <summary>Fails with the reason when pwsh cannot run.</summary>
    public static void AssertAvailable()
    {
        string? reason = UnavailableReason.Value;
        Assert.True(reason is null, $"{reason} CI=true requires PowerShell, so this test fails instead of being skipped.");
    }

    /// <summary>Returns a start that runs <paramref name="scriptPath"/> with pwsh. The caller adds the script's arguments.</summary>
    public static ProcessStartInfo CreateStartInfo(string scriptPath) => CreatePwshStartInfo("-File", scriptPath);

    /// <summary>
    /// Turns off the .NET CLI's and PowerShell's telemetry and update checks, which would contact hosts other
    /// than 127.0.0.1, and the CLI's first-run banner, which would end up in the script output.
    /// </summary>
    public static void DisableTelemetry(ProcessStartInfo start)
    {
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["POWERSHELL_TELEMETRY_OPTOUT"] = "1";
        start.Environment["POWERSHELL_UPDATECHECK"] = "Off";
    }

    private static string? FindUnavailableReason()
    {
        if (Probe() is null)
        {
            return null;
        }

        var restore = new ProcessStartInfo("dotnet") { ArgumentList = { "tool", "restore" } };
        ScriptRunner.Result restored = ScriptRunner.RunAsync(restore, ProbeTimeout).GetAwaiter().GetResult();
        if (restored.ExitCode != 0)
        {
            return $"`dotnet tool restore` in {RepositoryPaths.Root} failed with exit code {restored.ExitCode}, so pwsh (package powershell in .config/dotnet-tools.json) is missing. Its output:\n{restored.Output}";
        }

        return Probe();
    }

    // Returns null when pwsh runs, otherwise the failure.
    private static string? Probe()
    {
        try
        {
            ScriptRunner.Result result = ScriptRunner.RunAsync(CreatePwshStartInfo("-Command", "exit 0"), ProbeTimeout).GetAwaiter().GetResult();
            return result.ExitCode == 0
                ? null
                : $"`dotnet tool run pwsh` in {RepositoryPaths.Root} failed with exit code {result.ExitCode}. Run `dotnet tool restore` there. Its output:\n{result.Output}";
        }
        catch (Exception error) when (error is System.ComponentModel.Win32Exception or TimeoutException)
        {
            return $"`dotnet tool run pwsh` could not run: {error.Message}";
        }
    }

    private static ProcessStartInfo CreatePwshStartInfo(params string[] pwshArguments)
    {
        var start = new ProcessStartInfo("dotnet");
        foreach (string argument in new[] { "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive" }.Concat(pwshArguments))
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
