using System.Diagnostics;
using ReproKit.Native;

namespace ReproKit.Tests.Native;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void InitializeLoadsNuGetLibTorch()
    {
        var info = TorchFixture.Ensure();

        Assert.NotNull(info.LibTorchDirectory);
        Assert.True(File.Exists(Path.Combine(info.LibTorchDirectory!, "libtorch_cpu.so")));
        var maps = File.ReadAllText("/proc/self/maps");
        Assert.Contains(Path.Combine(info.LibTorchDirectory!, "libtorch_cpu.so"), maps);
        Assert.DoesNotContain("libtorch_cpu.so.1", maps);
    }

    [Fact]
    public void InitializeReturnsSameResultTwice()
    {
        var first = TorchFixture.Ensure();

        Assert.Same(first, TorchRuntime.Initialize());
    }

    /// <summary>
    /// Debian's libtorch (package libtorch1.13, which python3-torch installs) is put on LD_LIBRARY_PATH
    /// under the unversioned names that LibTorchSharp requires, so the dynamic loader would bind it if the
    /// loader did not load the NuGet copies first. A fresh process runs 'reprokit info'.
    /// </summary>
    [DebianLibTorchFact]
    public void LoadsWithDebianLibTorchVisible()
    {
        Assert.True(File.Exists(DebianLibTorchFactAttribute.LibTorchCpu), $"{DebianLibTorchFactAttribute.LibTorchCpu} is missing; .ci/run installs it with 'apt-get install libtorch1.13'.");
        var shadow = Directory.CreateTempSubdirectory("reprokit-shadow-").FullName;
        try
        {
            foreach (var name in new[] { "libtorch_cpu.so", "libc10.so", "libtorch.so" })
            {
                File.CreateSymbolicLink(Path.Combine(shadow, name), $"/usr/lib/x86_64-linux-gnu/{name}.1.13");
            }

            var (exitCode, output) = RunInfo("LD_LIBRARY_PATH", shadow);

            Assert.True(exitCode == 0, output);
            Assert.Contains("Loaded libtorch 2.10.0", output);
            Assert.Contains("TorchSharp / libtorch", output);
        }
        finally
        {
            Directory.Delete(shadow, recursive: true);
        }
    }

    [Fact]
    public void MissingLibTorchFolderExplained()
    {
        var empty = Directory.CreateTempSubdirectory("reprokit-empty-").FullName;
        try
        {
            var (exitCode, output) = RunInfo("REPROKIT_LIBTORCH_DIR", empty);

            Assert.Equal(2, exitCode);
            Assert.Contains($"REPROKIT_LIBTORCH_DIR is '{empty}'", output);
            Assert.Contains("has no libtorch_cpu.so", output);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    /// <summary>Runs 'reprokit info' in a fresh process with one environment variable set.</summary>
    private static (int ExitCode, string Output) RunInfo(string variable, string value) =>
        CliProcess.Run(new Dictionary<string, string> { [variable] = value }, "info");
}
