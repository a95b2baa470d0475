using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ReproKit.Tests.Data;

/// <summary>
/// Runs data-scripts/fetch-fashion-mnist.sh and its PowerShell twin fetch-fashion-mnist.ps1 against a python3
/// http.server on 127.0.0.1 that serves Debian's copies of the four files, so no test reaches another host.
/// </summary>
public sealed partial class FetchScriptTests
{
    private static readonly string[] FileNames =
    [
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
    ];

    [DebianDataFact]
    public Task FetchScript_GoodFilesIdempotent() => GoodFilesIdempotent(ScriptRunner.Bash);

    [DebianDataPowerShellFact]
    public Task FetchScript_PowerShellGoodFilesIdempotent() => GoodFilesIdempotent(ScriptRunner.PowerShell);

    [DebianDataFact]
    public Task FetchScript_CorruptFileRejected() => CorruptFileRejected(ScriptRunner.Bash);

    [DebianDataPowerShellFact]
    public Task FetchScript_PowerShellCorruptFileRejected() => CorruptFileRejected(ScriptRunner.PowerShell);

    [DebianDataPowerShellFact]
    public async Task FetchScript_PowerShellTwoArgumentsExitTwo()
    {
        PowerShellTool.AssertAvailable();
        var environment = new Dictionary<string, string> { ["FASHION_MNIST_BASE_URL"] = "http://127.0.0.1:9/" };

        ScriptRunner.Result result = await ScriptRunner.RunAsync(ScriptRunner.PowerShell, "fetch-fashion-mnist", environment, "first", "second");

        Assert.True(result.ExitCode == 2, $"Expected exit code 2, got {result.ExitCode}.\n{result.Output}");
        Assert.Contains("error: expected at most one argument (the target folder), got 2.", result.Output);
    }

    [Theory]
    [InlineData(ScriptRunner.Bash)]
    [InlineData(ScriptRunner.PowerShell)]
    public async Task FetchScript_UnknownOptionExitTwo(string shell)
    {
        if (shell == ScriptRunner.PowerShell)
        {
            PowerShellTool.AssertAvailable();
        }

        using var temp = new TemporaryDirectory();
        var environment = new Dictionary<string, string> { ["FASHION_MNIST_BASE_URL"] = "http://127.0.0.1:9/" };
        var start = shell == ScriptRunner.Bash
            ? new System.Diagnostics.ProcessStartInfo("bash") { ArgumentList = { RepositoryPaths.Combine("data-scripts", "fetch-fashion-mnist.sh"), "--bogus" }, WorkingDirectory = temp.FullPath }
            : PowerShellTool.CreateStartInfo(RepositoryPaths.Combine("data-scripts", "fetch-fashion-mnist.ps1"));
        if (shell == ScriptRunner.PowerShell)
        {
            // 'dotnet tool run pwsh' needs the repository's tool manifest, so PowerShell starts in the repository.
            start.ArgumentList.Add("--bogus");
        }

        start.Environment["FASHION_MNIST_BASE_URL"] = environment["FASHION_MNIST_BASE_URL"];
        ScriptRunner.Result result = await ScriptRunner.RunAsync(start, TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 2, $"Expected exit code 2, got {result.ExitCode}.\n{result.Output}");
        Assert.Contains("unknown option '--bogus'", result.Output);
        Assert.False(Directory.Exists(Path.Combine(start.WorkingDirectory is { Length: > 0 } folder ? folder : Environment.CurrentDirectory, "--bogus")), "the script created a folder named after the option");
    }

    private static async Task GoodFilesIdempotent(string shell)
    {
        DebianDataFactAttribute.AssertInstalled();
        if (shell == ScriptRunner.PowerShell)
        {
            PowerShellTool.AssertAvailable();
        }

        using var temp = new TemporaryDirectory();
        string target = temp.Combine("fashion-mnist-full");
        using var server = await LocalHttpServer.StartAsync(DebianDataFactAttribute.DebianDirectory);

        ScriptRunner.Result first = await RunScriptAsync(shell, server.BaseUrl, target);
        DateTime[] firstWriteTimes = FileNames.Select(name => File.GetLastWriteTimeUtc(Path.Combine(target, name))).ToArray();
        ScriptRunner.Result second = await RunScriptAsync(shell, server.BaseUrl, target);
        DateTime[] secondWriteTimes = FileNames.Select(name => File.GetLastWriteTimeUtc(Path.Combine(target, name))).ToArray();

        Assert.True(first.ExitCode == 0, $"First run failed with exit code {first.ExitCode}.\n{first.Output}");
        Assert.Contains("Done: 4 downloaded, 0 already present.", first.Output);
        foreach (string name in FileNames)
        {
            Assert.Equal(
                File.ReadAllBytes(Path.Combine(DebianDataFactAttribute.DebianDirectory, name)),
                File.ReadAllBytes(Path.Combine(target, name)));
        }

        Assert.True(second.ExitCode == 0, $"Second run failed with exit code {second.ExitCode}.\n{second.Output}");
        Assert.Contains("Done: 0 downloaded, 4 already present.", second.Output);
        Assert.Equal(firstWriteTimes, secondWriteTimes);
        Assert.Empty(Directory.GetFiles(target, "*.part"));
    }

    private static async Task CorruptFileRejected(string shell)
    {
        DebianDataFactAttribute.AssertInstalled();
        if (shell == ScriptRunner.PowerShell)
        {
            PowerShellTool.AssertAvailable();
        }

        using var temp = new TemporaryDirectory();
        string served = temp.Combine("served");
        string target = temp.Combine("fashion-mnist-full");
        Directory.CreateDirectory(served);
        foreach (string name in FileNames)
        {
            File.Copy(Path.Combine(DebianDataFactAttribute.DebianDirectory, name), Path.Combine(served, name));
        }

        const string corruptName = "t10k-labels-idx1-ubyte.gz";
        byte[] good = File.ReadAllBytes(Path.Combine(served, corruptName));
        File.WriteAllBytes(Path.Combine(served, corruptName), good[..(good.Length / 2)]);
        using var server = await LocalHttpServer.StartAsync(served);

        ScriptRunner.Result result = await RunScriptAsync(shell, server.BaseUrl, target);

        Assert.True(result.ExitCode == 1, $"Expected exit code 1, got {result.ExitCode}.\n{result.Output}");
        Assert.Contains($"error: {corruptName}: MD5 mismatch.", result.Output);
        Assert.Contains("bb300cfdad3c16e7a12a480ee83cd310", result.Output);
        Assert.Contains("Done: 3 downloaded, 0 already present.", result.Output);
        Assert.False(File.Exists(Path.Combine(target, corruptName)), "The corrupt file was left under its final name.");
        Assert.True(File.Exists(Path.Combine(target, corruptName + ".bad")), "The corrupt file was not kept as .bad.");
        Assert.True(File.Exists(Path.Combine(target, "t10k-images-idx3-ubyte.gz")), "A good file is missing.");
    }

    private static Task<ScriptRunner.Result> RunScriptAsync(string shell, string baseUrl, string target) =>
        ScriptRunner.RunAsync(shell, "fetch-fashion-mnist", new Dictionary<string, string> { ["FASHION_MNIST_BASE_URL"] = baseUrl }, target);

    /// <summary>A python3 http.server bound to 127.0.0.1 on a free port, stopped on dispose.</summary>
    private sealed partial class LocalHttpServer : IDisposable
    {
        private readonly Process process;

        private LocalHttpServer(Process process, string baseUrl)
        {
            this.process = process;
            BaseUrl = baseUrl;
        }

        public string BaseUrl { get; }

        public static async Task<LocalHttpServer> StartAsync(string directory)
        {
            // Port 0 lets the OS pick a free port, and http.server prints it in its first line of output.
            var start = new ProcessStartInfo("python3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (string argument in new[] { "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", directory })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start python3.");
            // The request log goes to stderr and must be drained, or the server blocks once the pipe is full.
            process.ErrorDataReceived += (_, _) => { };
            process.BeginErrorReadLine();

            string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Match match = ServingLine().Match(line ?? "");
            if (!match.Success)
            {
                process.Kill(entireProcessTree: true);
                process.Dispose();
                throw new InvalidOperationException($"python3 -m http.server did not report its port. Its first line was '{line}'.");
            }

            return new LocalHttpServer(process, $"http://127.0.0.1:{match.Groups[1].Value}/");
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }

            process.Dispose();
        }

        [GeneratedRegex(@"Serving HTTP on 127\.0\.0\.1 port (\d+)")]
        private static partial Regex ServingLine();
    }
}
