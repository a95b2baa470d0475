using System.Diagnostics;
using ReproKit.Native;

namespace ReproKit.Tests.Native;

public sealed class ElfSymbolVersionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("reprokit-elf-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string NuGetLibTorchSharp()
    {
        TorchFixture.Ensure();
        var path = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(path), $"{path} is missing: the test project must reference TorchSharp's native package");
        return path;
    }

    [Fact]
    public void RealLibraryRequiresGlibcxx332()
    {
        var requirements = ElfSymbolVersions.ReadRequirements(NuGetLibTorchSharp());

        var requirement = Assert.Single(requirements, r => r.Version == "GLIBCXX_3.4.32");
        Assert.Equal("libstdc++.so.6", requirement.Library);
        Assert.False(requirement.IsWeak);
    }

    [Fact]
    public void PatchOnCopyChangesOnlyTheFlag()
    {
        var original = File.ReadAllBytes(NuGetLibTorchSharp());
        var copy = (byte[])original.Clone();

        int changed = ElfSymbolVersions.MarkWeak(copy, "copy", ["GLIBCXX_3.4.32"]);

        Assert.Equal(1, changed);
        var differences = Enumerable.Range(0, original.Length).Where(i => original[i] != copy[i]).ToList();
        var offset = Assert.Single(differences);
        Assert.Equal(original[offset] | 0x2, copy[offset]);

        var patched = Path.Combine(_folder, "libLibTorchSharp.so");
        File.WriteAllBytes(patched, copy);
        var requirements = ElfSymbolVersions.ReadRequirements(patched);
        Assert.True(Assert.Single(requirements, r => r.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.All(requirements.Where(r => r.Version != "GLIBCXX_3.4.32"), r => Assert.False(r.IsWeak, r.Version));
    }

    [Fact]
    public void PatchedCopyMatchesReadelf()
    {
        var copy = File.ReadAllBytes(NuGetLibTorchSharp());
        ElfSymbolVersions.MarkWeak(copy, "copy", ["GLIBCXX_3.4.32"]);
        var patched = Path.Combine(_folder, "libLibTorchSharp.so");
        File.WriteAllBytes(patched, copy);

        var output = RunTool("readelf", $"-V {patched}");

        var line = Assert.Single(output.Split('\n'), l => l.Contains("Name: GLIBCXX_3.4.32"));
        Assert.Contains("Flags: WEAK", line);
    }

    [Fact]
    public void WeakenedCopyIsCachedByHash()
    {
        var source = NuGetLibTorchSharp();

        var first = TorchRuntime.GetOrCreateWeakenedCopy(source, ["GLIBCXX_3.4.32"], cacheRoot: _folder);
        var writeTime = File.GetLastWriteTimeUtc(first);
        var second = TorchRuntime.GetOrCreateWeakenedCopy(source, ["GLIBCXX_3.4.32"], cacheRoot: _folder);

        Assert.Equal(first, second);
        Assert.Equal(writeTime, File.GetLastWriteTimeUtc(second));
        Assert.StartsWith(_folder, first);
        Assert.NotEqual(File.ReadAllBytes(source), File.ReadAllBytes(first));
    }

    [Fact]
    public void HostWithoutVersionNeedsPatch()
    {
        var hostLibrary = BuildFakeLibStdCxx(["GLIBCXX_3.4", "GLIBCXX_3.4.30"]);

        var missing = TorchRuntime.FindMissingVersions(NuGetLibTorchSharp(), hostLibrary);

        Assert.Contains("GLIBCXX_3.4.32", missing);
    }

    [Fact]
    public void HostWithVersionSkipsPatch()
    {
        var required = ElfSymbolVersions.ReadRequirements(NuGetLibTorchSharp())
            .Where(r => r.Library == "libstdc++.so.6")
            .Select(r => r.Version)
            .ToList();
        var hostLibrary = BuildFakeLibStdCxx(required);

        var missing = TorchRuntime.FindMissingVersions(NuGetLibTorchSharp(), hostLibrary);

        Assert.Empty(missing);
    }

    [Fact]
    public void NotElfFileRejectedWithPath()
    {
        var path = Path.Combine(_folder, "not-elf.so");
        File.WriteAllText(path, "this is text, not a shared library");

        var error = Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.ReadRequirements(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("ELF magic", error.Message);
    }

    [Fact]
    public void TruncatedElfRejected()
    {
        var path = Path.Combine(_folder, "truncated.so");
        File.WriteAllBytes(path, File.ReadAllBytes(NuGetLibTorchSharp())[..4096]);

        var error = Assert.Throws<InvalidDataException>(() => ElfSymbolVersions.ReadRequirements(path));

        Assert.Contains("past the end", error.Message);
    }

    /// <summary>Links a shared library that defines the given version nodes, standing in for a host's libstdc++.</summary>
    private string BuildFakeLibStdCxx(IReadOnlyList<string> versions)
    {
        var source = Path.Combine(_folder, "fake.c");
        var script = Path.Combine(_folder, "fake.map");
        var library = Path.Combine(_folder, "libstdc++.so.6");
        File.WriteAllText(source, "int reprokit_fake_symbol(void) { return 1; }\n");
        File.WriteAllText(script, string.Join("\n", versions.Select((v, i) => i == 0 ? $"{v} {{ global: reprokit_fake_symbol; local: *; }};" : $"{v} {{ }} {versions[i - 1]};")) + "\n");

        RunTool("gcc", $"-shared -fPIC -o {library} {source} -Wl,--version-script={script}");
        Assert.Equal(versions.ToHashSet(), ElfSymbolVersions.ReadDefinitions(library).Where(v => v != "libstdc++.so.6").ToHashSet());
        return library;
    }

    private static string RunTool(string tool, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{tool} did not start");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} {arguments} failed: {error}");
        return output;
    }
}
