using System.Diagnostics;

namespace ReproKit.Tests.Reporting;

/// <summary>
/// Runs Debian's chromium package headless on a local HTML file with the network made unreachable,
/// and returns the DOM after the page's scripts ran.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public static string DumpDom(string htmlPath, string userDataFolder)
    {
        string executable = FindExecutable();
        string url = new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri;
        Assert.StartsWith("file:///", url);

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            $"--user-data-dir={userDataFolder}",
            // Every host name fails to resolve and every connection goes to a closed local port,
            // so a page that needs a CDN script cannot fetch it.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=http://127.0.0.1:9",
            // Virtual time lets the page's scripts finish before the DOM is dumped.
            "--virtual-time-budget=5000",
            "--dump-dom",
            url,
        ];
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)
            ?? throw new InvalidOperationException($"Failed to start '{executable}'.");
        Task<string> standardOutput = process.StandardOutput.ReadToEndAsync();
        Task<string> standardError = process.StandardError.ReadToEndAsync();

        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"Chromium did not exit within {Timeout.TotalSeconds} s while loading {url}.");
        }

        string dom = standardOutput.GetAwaiter().GetResult();
        Assert.True(
            process.ExitCode == 0,
            $"Chromium exited with code {process.ExitCode} on {url}. Its stderr:\n{standardError.GetAwaiter().GetResult()}");
        return dom;
    }

    private static string FindExecutable()
    {
        string[] folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (string name in new[] { "chromium", "chromium-browser" })
        {
            foreach (string folder in folders)
            {
                string candidate = Path.Combine(folder, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        Assert.Fail(
            "Chromium was not found on PATH, and the Figure 4 browser test needs it to check that the chart renders offline. "
            + "Install it with 'sudo apt-get update && sudo apt-get install -y chromium' (Debian; Ubuntu calls the package chromium-browser).");
        return "";
    }
}
