namespace ReproKit.Tests.Native;

/// <summary>
/// A fact that needs Debian's libtorch (package libtorch1.13). It is skipped where the library is missing,
/// except under CI (CI=true), which installs the package, so there the test runs and fails.
/// </summary>
internal sealed class DebianLibTorchFactAttribute : FactAttribute
{
    /// <summary>Debian's libtorch_cpu.</summary>
    public const string LibTorchCpu = "/usr/lib/x86_64-linux-gnu/libtorch_cpu.so.1.13";

    public DebianLibTorchFactAttribute()
    {
        bool isCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!File.Exists(LibTorchCpu) && !isCi)
        {
            Skip = $"{LibTorchCpu} does not exist. Install it with `apt-get install libtorch1.13` to run this test.";
        }
    }
}
