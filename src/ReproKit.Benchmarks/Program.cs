using System.Diagnostics;
using System.Globalization;
using ReproKit.Native;
using TorchSharp;

namespace ReproKit.Benchmarks;

/// <summary>
/// Entry point: <c>dotnet run --project src/ReproKit.Benchmarks -c Release -- &lt;suite&gt; [options]</c>. Runs the
/// requested suites, then writes the Markdown report to the --report file or to standard output.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        BenchmarkOptions? options;
        try
        {
            options = BenchmarkOptions.Parse(args);
        }
        catch (ArgumentException error)
        {
            Console.Error.WriteLine(error.Message);
            return 2;
        }

        if (options is null)
        {
            Console.WriteLine(BenchmarkOptions.HelpText);
            return 0;
        }

        try
        {
            Run(options);
            return 0;
        }
        catch (Exception error) when (error is InvalidOperationException or IOException or TimeoutException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"The benchmark failed: {error.Message}");
            return 1;
        }
    }

    private static void Run(BenchmarkOptions options)
    {
        DateTime started = DateTime.UtcNow;
        string loadAtStart = MachineDescription.ReadLoadAverage();
        double? busyCoresBefore = MachineDescription.MeasureBusyCores(TimeSpan.FromSeconds(1));
        WarnIfBusy(busyCoresBefore);

        // Before any other torch call: loads the NuGet libtorch by absolute path, never Debian's libtorch 1.13.
        TorchRuntime.Initialize(ProgressLog.Instance);
        torch.set_num_threads(options.Threads);
        var machine = MachineDescription.Collect();
        string busyText = busyCoresBefore?.ToString("F2", CultureInfo.InvariantCulture) ?? "an unknown number of";
        ProgressLog.Info($"Benchmark {options.Suite.ToString().ToLowerInvariant()}: {options.Repeats} repeat(s), {machine.KitThreads} libtorch threads, libtorch {machine.LibTorch}; other processes keep {busyText} cores busy");

        using var session = new BenchmarkSession(options);
        var suites = new List<SuiteResult>();
        foreach (var (suite, run) in SuitesToRun(options.Suite))
        {
            ProgressLog.Info($"Suite {suite} started");
            var clock = Stopwatch.StartNew();
            suites.Add(run(session));
            ProgressLog.Info($"Suite {suite} finished in {clock.Elapsed.TotalSeconds:F0} s");
        }

        suites.Sort((left, right) => ReportOrder(left).CompareTo(ReportOrder(right)));
        DateTime finished = DateTime.UtcNow;
        double? busyCoresAfter = MachineDescription.MeasureBusyCores(TimeSpan.FromSeconds(1));
        var facts = new MarkdownReport.RunFacts(started, finished, loadAtStart, MachineDescription.ReadLoadAverage(), busyCoresBefore, busyCoresAfter);
        string report = MarkdownReport.Build(options, machine, session.PeerInfo, facts, suites);
        if (options.ReportPath is null)
        {
            Console.Write(report);
            return;
        }

        string? folder = Path.GetDirectoryName(Path.GetFullPath(options.ReportPath));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(options.ReportPath, report);
        ProgressLog.Info($"Report written to {Path.GetFullPath(options.ReportPath)}");
    }

    /// <summary>Warns when other processes keep a quarter of a core or more busy, which makes every measurement noisy.</summary>
    private static void WarnIfBusy(double? busyCores)
    {
        if (busyCores >= 0.25)
        {
            ProgressLog.Warning(string.Create(CultureInfo.InvariantCulture, $"Other processes keep {busyCores:F2} of this machine's {Environment.ProcessorCount} cores busy. The ratios between the sides are comparable only while that load stays steady, so stop other work before recording results."));
        }
    }

    /// <summary>
    /// Returns the suites to run, the memory suite first: its resident-memory baseline must not contain what the
    /// other suites allocated, such as the 224x224 VGG-16, because the C library keeps freed memory mapped.
    /// </summary>
    private static IEnumerable<(string Name, Func<BenchmarkSession, SuiteResult> Run)> SuitesToRun(BenchmarkSuite suite)
    {
        if (suite is BenchmarkSuite.Memory or BenchmarkSuite.All)
        {
            yield return ("memory", MemorySuite.Run);
        }

        if (suite is BenchmarkSuite.Training or BenchmarkSuite.All)
        {
            yield return ("training", TrainingSuite.Run);
        }

        if (suite is BenchmarkSuite.Pipeline or BenchmarkSuite.All)
        {
            yield return ("pipeline", PipelineSuite.Run);
        }

        if (suite is BenchmarkSuite.Epoch or BenchmarkSuite.All)
        {
            yield return ("epoch", EpochSuite.Run);
        }
    }

    /// <summary>The report lists the suites in the order of the help text, whatever order they ran in.</summary>
    private static int ReportOrder(SuiteResult suite) => suite.Title switch
    {
        TrainingSuite.Title => 0,
        PipelineSuite.Title => 1,
        EpochSuite.Title => 2,
        _ => 3,
    };
}
