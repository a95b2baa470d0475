using System.Globalization;
using System.Text;

namespace ReproKit.Benchmarks;

/// <summary>The Markdown report: when, where and how the run was made, the targets, then each suite's section.</summary>
internal static class MarkdownReport
{
    /// <summary>Everything the report's header needs besides the suites.</summary>
    /// <param name="Started">When the run started (UTC).</param>
    /// <param name="Finished">When the last suite finished (UTC).</param>
    /// <param name="LoadAtStart">Load averages when the run started.</param>
    /// <param name="LoadAtEnd">Load averages when the last suite finished.</param>
    /// <param name="BusyCoresBefore">Cores that other processes kept busy in the second before the first suite, or null where unknown.</param>
    /// <param name="BusyCoresAfter">Cores that other processes kept busy in the second after the last suite, or null where unknown.</param>
    public sealed record RunFacts(DateTime Started, DateTime Finished, string LoadAtStart, string LoadAtEnd, double? BusyCoresBefore, double? BusyCoresAfter);

    public static string Build(BenchmarkOptions options, MachineDescription machine, PeerInfo? peer, RunFacts run, IReadOnlyList<SuiteResult> suites)
    {
        var text = new StringBuilder();
        text.AppendLine("# ReproKit against PyTorch");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Date: {run.Started:yyyy-MM-dd HH:mm} to {run.Finished:HH:mm} UTC.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Command: `dotnet run --project src/ReproKit.Benchmarks -c Release -- {string.Join(' ', options.Arguments.Select(Quote))}`, in `{Environment.CurrentDirectory}` (the arguments as the process received them; process `{Environment.ProcessPath}`).");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Commit: {machine.Commit}; changes in the working tree are not recorded.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {machine.Processor}, {machine.LogicalCores} logical cores, {machine.Memory}; {machine.OperatingSystem}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Other processes: {Cores(run.BusyCoresBefore)} of {machine.LogicalCores} cores busy in the second before the first suite, {Cores(run.BusyCoresAfter)} in the second after the last (from /proc/stat); load averages (1, 5, 15 min) {run.LoadAtStart} at the start and {run.LoadAtEnd} at the end, this run's own work included. Only ratios between sides measured alternately are comparable across runs.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Kit: {machine.DotNet}, TorchSharp {machine.TorchSharp}, libtorch {machine.LibTorch} (NuGet build), ImageSharp {machine.ImageSharp}, {machine.KitThreads} libtorch threads.");
        if (peer is null)
        {
            text.AppendLine("- PyTorch: not started (no suite of this run needed it).");
        }
        else
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- PyTorch: {peer.Torch} (Debian package python3-torch {peer.TorchPackage}) with torchvision {peer.Torchvision}, Pillow {peer.Pillow}, NumPy {peer.NumPy}, Python {peer.Python}, {peer.Threads} threads.");
            text.AppendLine(CultureInfo.InvariantCulture, $"- PyTorch's BLAS: {peer.Blas}; LD_PRELOAD {(peer.Preload.Length == 0 ? "not set" : $"`{peer.Preload}`")}.");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"- Settings: {options.Repeats} repeat(s) per configuration{(options.Quick ? ", --quick (a smoke run, not a result)" : "")}{(options.SkipVgg224 ? ", --skip-vgg224" : "")}.");
        text.AppendLine();

        AppendTargets(text, suites);

        foreach (SuiteResult suite in suites)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"## {suite.Title}");
            text.AppendLine();
            text.AppendLine(suite.Markdown.TrimEnd());
            text.AppendLine();
        }

        if (peer is not null)
        {
            text.AppendLine("## PyTorch build configuration");
            text.AppendLine();
            text.AppendLine("`torch.__config__.show()` in the peer:");
            text.AppendLine();
            text.AppendLine("```text");
            text.AppendLine(peer.TorchConfiguration.TrimEnd());
            text.AppendLine("```");
        }

        return text.ToString();
    }

    private static void AppendTargets(StringBuilder text, IReadOnlyList<SuiteResult> suites)
    {
        var targets = suites.SelectMany(s => s.Targets).ToList();
        if (targets.Count == 0)
        {
            return;
        }

        text.AppendLine("## Targets");
        text.AppendLine();
        text.AppendLine("| target | measured | met | margin |");
        text.AppendLine("|---|---|---|---|");
        foreach (TargetResult target in targets)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {target.Target} | {target.Measured} | {(target.Met ? "yes" : "no")} | {target.Margin} |");
        }

        text.AppendLine();
    }

    private static string Cores(double? busyCores) => busyCores is null ? "unknown" : busyCores.Value.ToString("F2", CultureInfo.InvariantCulture);

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./=:".Contains(c)) ? argument : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
