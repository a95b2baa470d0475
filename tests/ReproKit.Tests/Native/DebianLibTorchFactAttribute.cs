namespace ReproKit.Tests.Native;

/// <summary>A fact that needs Debian's libtorch (package libtorch1.13, which python3-torch also installs).</summary>
internal sealed class DebianLibTorchFactAttribute : DebianPackageFactAttribute
{
    /// <summary>Debian's libtorch_cpu.</summary>
    public const string LibTorchCpu = "/usr/lib/x86_64-linux-gnu/libtorch_cpu.so.1.13";

    public DebianLibTorchFactAttribute() : base(LibTorchCpu, "libtorch1.13")
    {
    }
}
