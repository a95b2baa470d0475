using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace ReproKit.Benchmarks;

/// <summary>The machine and the .NET side's versions, for the report's header.</summary>
internal sealed record MachineDescription(
    string Processor,
    int LogicalCores,
    string Memory,
    string OperatingSystem,
    string DotNet,
    string TorchSharp,
    string LibTorch,
    string ImageSharp,
    int KitThreads,
    string Commit)
{
    /// <summary>Collects the description; call after the native runtime is initialised and the thread count set.</summary>
    public static MachineDescription Collect() => new(
        ReadField("/proc/cpuinfo", "model name", ':') ?? RuntimeInformation.ProcessArchitecture.ToString(),
        Environment.ProcessorCount,
        ReadMemory(),
        $"{(ReadField("/etc/os-release", "PRETTY_NAME", '=') ?? RuntimeInformation.OSDescription).Trim('"')}, kernel {ReadKernel()}",
        RuntimeInformation.FrameworkDescription,
        VersionOf(typeof(torch).Assembly),
        torch.__version__,
        VersionOf(typeof(SixLabors.ImageSharp.Image).Assembly),
        torch.get_num_threads(),
        ReadCommit());

    /// <summary>Returns the 1-, 5- and 15-minute load averages from /proc/loadavg, or "unknown".</summary>
    public static string ReadLoadAverage()
    {
        try
        {
            string[] fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return fields.Length >= 3 ? $"{fields[0]}, {fields[1]}, {fields[2]}" : "unknown";
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    /// <summary>
    /// Returns how many cores other processes kept busy on average during <paramref name="window"/>: the busy share
    /// of all cores from /proc/stat, less this process's own processor time (background compilation, for example).
    /// Returns null where /proc/stat is missing.
    /// </summary>
    public static double? MeasureBusyCores(TimeSpan window)
    {
        using var self = Process.GetCurrentProcess();
        TimeSpan ownBefore = self.TotalProcessorTime;
        var before = ReadCpuTimes();
        var clock = Stopwatch.StartNew();
        Thread.Sleep(window);
        var after = ReadCpuTimes();
        self.Refresh();
        double ownCores = (self.TotalProcessorTime - ownBefore).TotalSeconds / clock.Elapsed.TotalSeconds;
        if (before is null || after is null || after.Value.Total <= before.Value.Total)
        {
            return null;
        }

        double busyFraction = (double)(after.Value.Busy - before.Value.Busy) / (after.Value.Total - before.Value.Total);
        return Math.Max(0, (busyFraction * Environment.ProcessorCount) - ownCores);
    }

    /// <summary>Returns the busy and total times of all cores in clock ticks, summed from the first line of /proc/stat.</summary>
    private static (long Busy, long Total)? ReadCpuTimes()
    {
        const string stat = "/proc/stat";
        if (!File.Exists(stat))
        {
            return null;
        }

        // The line reads "cpu  user nice system idle iowait irq softirq steal guest guest_nice"; guest time is
        // already counted in user and nice, so only the first eight fields are summed.
        string[] fields = File.ReadLines(stat).First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long[] ticks = [.. fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture))];
        long idle = ticks[3] + ticks[4];
        long total = ticks.Sum();
        return (total - idle, total);
    }

    private static string ReadKernel()
    {
        const string release = "/proc/sys/kernel/osrelease";
        return File.Exists(release) ? File.ReadAllText(release).Trim() : Environment.OSVersion.Version.ToString();
    }

    private static string? ReadField(string path, string key, char separator)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        string? line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line?[(line.IndexOf(separator) + 1)..].Trim();
    }

    private static string ReadMemory()
    {
        // /proc/meminfo reads "MemTotal:       24614028 kB".
        string? total = ReadField("/proc/meminfo", "MemTotal", ':');
        if (total is not null && long.TryParse(total.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out long kilobytes))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{kilobytes / (1024.0 * 1024.0):F1} GiB");
        }

        return "unknown";
    }

    /// <summary>
    /// Returns the checked-out commit, read from the .git folder above the working directory without running git
    /// (a git command could refresh the index while other work is in progress), or "unknown".
    /// </summary>
    private static string ReadCommit()
    {
        for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
        {
            string gitDirectory = Path.Combine(folder.FullName, ".git");
            string head = Path.Combine(gitDirectory, "HEAD");
            if (!File.Exists(head))
            {
                continue;
            }

            string reference = File.ReadAllText(head).Trim();
            if (!reference.StartsWith("ref: ", StringComparison.Ordinal))
            {
                return reference;
            }

            string name = reference["ref: ".Length..];
            string looseRef = Path.Combine(gitDirectory, name);
            if (File.Exists(looseRef))
            {
                return $"{File.ReadAllText(looseRef).Trim()} ({name})";
            }

            string packed = Path.Combine(gitDirectory, "packed-refs");
            string? line = File.Exists(packed) ? File.ReadLines(packed).FirstOrDefault(l => l.EndsWith(" " + name, StringComparison.Ordinal)) : null;
            return line is null ? $"unknown ({name})" : $"{line.Split(' ')[0]} ({name})";
        }

        return "unknown";
    }

    private static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";
}
