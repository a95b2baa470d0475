using ReproKit.Native;

namespace ReproKit.Tests;

/// <summary>Loads libtorch through the library's loader before a test touches torch.</summary>
internal static class TorchFixture
{
    public static TorchRuntimeInfo Ensure() => TorchRuntime.Initialize();
}
