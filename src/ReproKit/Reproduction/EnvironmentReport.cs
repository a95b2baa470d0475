using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;
using TorchSharp;

namespace ReproKit.Reproduction;

/// <summary>Versions and machine facts recorded in run.json, so a result can be traced to what produced it.</summary>
public sealed record EnvironmentReport(
    [property: JsonPropertyName("reprokit_version")] string ReproKitVersion,
    [property: JsonPropertyName("torchsharp_version")] string TorchSharpVersion,
    [property: JsonPropertyName("libtorch_version")] string LibTorchVersion,
    [property: JsonPropertyName("plotly_net_version")] string PlotlyNetVersion,
    [property: JsonPropertyName("dotnet_version")] string DotNetVersion,
    string OperatingSystem,
    string Processor,
    int LogicalCores,
    int TorchThreads,
    [property: JsonPropertyName("memory_gib")] double MemoryGiB,
    string Device,
    [property: JsonPropertyName("libtorchsharp_path")] string? LibTorchSharpPath)
{
    /// <summary>Collects the report for the current process; call after the native runtime is initialised.</summary>
    public static EnvironmentReport Collect(torch.Device device, string? libTorchSharpPath) => new(
        VersionOf(typeof(EnvironmentReport).Assembly),
        VersionOf(typeof(torch).Assembly),
        torch.__version__,
        VersionOf(typeof(Plotly.NET.Chart).Assembly),
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        ReadProcessorName(),
        Environment.ProcessorCount,
        torch.get_num_threads(),
        Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
        device.ToString(),
        libTorchSharpPath);

    private static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";

    private static string ReadProcessorName()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo))
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }

        var line = File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line?[(line.IndexOf(':') + 1)..].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
    }
}
