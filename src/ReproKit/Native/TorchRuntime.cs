using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;

namespace ReproKit.Native;

/// <summary>What <see cref="TorchRuntime.Initialize"/> loaded, and from where.</summary>
/// <param name="LibTorchDirectory">Folder whose libtorch files were loaded by absolute path, or null where TorchSharp loaded them itself (not Linux).</param>
/// <param name="LibTorchSharpPath">The LibTorchSharp file that was loaded: the NuGet copy, or the private patched copy.</param>
/// <param name="WeakenedVersions">The libstdc++ symbol versions that were marked weak in the private copy; empty where none was needed.</param>
/// <param name="CudaAvailable">Whether libtorch reports a usable CUDA device.</param>
public sealed record TorchRuntimeInfo(
    string? LibTorchDirectory,
    string? LibTorchSharpPath,
    IReadOnlyList<string> WeakenedVersions,
    bool CudaAvailable);

/// <summary>
/// Loads libtorch and TorchSharp's native bridge reliably. Every front end (CLI, tests, notebooks)
/// calls <see cref="Initialize"/> once before it touches <c>torch</c>.
/// </summary>
/// <remarks>
/// On Linux the NuGet copies of libc10, libtorch_cpu and libtorch are loaded by absolute path first,
/// so that a system libtorch (Debian's libtorch 1.13, for example) can never be bound in their place.
/// LibTorchSharp 0.107.0 requires <c>GLIBCXX_3.4.32</c> (GCC 13) for a single link-anchor symbol; when
/// the host's libstdc++ lacks a required version, a private copy with that requirement marked weak is
/// written once to a per-user cache folder keyed by the original file's hash, and loaded instead. The
/// NuGet cache and the system are never modified. Set <c>REPROKIT_LIBTORCH_DIR</c> to a folder that
/// contains libtorch_cpu.so (and libtorch_cuda.so for a CUDA build) to override the search.
/// </remarks>
public static class TorchRuntime
{
    private const string LibStdCxxName = "libstdc++.so.6";
    private const string LibTorchSharpFileName = "libLibTorchSharp.so";
    private const string LibTorchPackageVersion = "2.10.0";

    private static readonly Lock Gate = new();
    private static TorchRuntimeInfo? s_info;
    private static readonly Dictionary<string, IntPtr> s_handles = new(StringComparer.Ordinal);

    /// <summary>The result of the first successful <see cref="Initialize"/> call, or null before it.</summary>
    public static TorchRuntimeInfo? Info => s_info;

    /// <summary>
    /// Loads the native libraries once per process and returns what was loaded. Later calls return the
    /// first result.
    /// </summary>
    /// <exception cref="InvalidOperationException">Loading failed. The message lists the files tried and what to do.</exception>
    public static TorchRuntimeInfo Initialize(ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;

        lock (Gate)
        {
            if (s_info is not null)
            {
                return s_info;
            }

            s_info = RuntimeInformation.IsOSPlatform(OSPlatform.Linux)
                ? InitializeLinux(logger)
                : InitializeWithTorchSharpDefaults(logger);
            return s_info;
        }
    }

    private static TorchRuntimeInfo InitializeWithTorchSharpDefaults(ILogger logger)
    {
        logger.LogInformation("Loading libtorch through TorchSharp's own search ({Os})", RuntimeInformation.OSDescription);
        torch.InitializeDeviceType(DeviceType.CPU);
        return new TorchRuntimeInfo(null, null, [], torch.cuda.is_available());
    }

    private static TorchRuntimeInfo InitializeLinux(ILogger logger)
    {
        var libTorchDirectory = FindLibTorchDirectory();
        var libTorchSharp = FindLibTorchSharp();
        var tried = new List<string>();

        try
        {
            foreach (var name in new[] { "libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so" })
            {
                var path = Path.Combine(libTorchDirectory, name);
                if (!File.Exists(path))
                {
                    continue;
                }

                tried.Add(path);
                s_handles[Path.GetFileNameWithoutExtension(name)["lib".Length..]] = NativeLibrary.Load(path);
            }

            logger.LogInformation("Loaded libtorch {Version} from {Directory}", LibTorchPackageVersion, libTorchDirectory);

            var hostLibStdCxx = FindHostLibStdCxx();
            var missing = FindMissingVersions(libTorchSharp, hostLibStdCxx);
            var loadPath = libTorchSharp;

            if (missing.Count > 0)
            {
                loadPath = GetOrCreateWeakenedCopy(libTorchSharp, missing, logger);
                logger.LogInformation(
                    "Host libstdc++ ({LibStdCxx}) lacks {Versions}; loading a private copy of LibTorchSharp with those requirements marked weak: {Path}",
                    hostLibStdCxx ?? "not found", string.Join(", ", missing), loadPath);
            }
            else
            {
                logger.LogInformation("Host libstdc++ ({LibStdCxx}) has every version LibTorchSharp requires; loading {Path}", hostLibStdCxx, loadPath);
            }

            tried.Add(loadPath);
            s_handles["LibTorchSharp"] = NativeLibrary.Load(loadPath);
            NativeLibrary.SetDllImportResolver(typeof(torch).Assembly, ResolveTorchSharpImport);

            torch.InitializeDeviceType(DeviceType.CPU);
            using var probe = torch.ones(2).sum();
            if (probe.item<float>() != 2f)
            {
                throw new InvalidOperationException("a test computation (sum of two ones) returned a wrong value");
            }

            return new TorchRuntimeInfo(libTorchDirectory, loadPath, missing, torch.cuda.is_available());
        }
        catch (Exception error) when (error is DllNotFoundException or BadImageFormatException or InvalidOperationException or NotSupportedException or IOException or TypeInitializationException or EntryPointNotFoundException)
        {
            throw new InvalidOperationException(
                $"Failed to load libtorch: {error.Message}\n" +
                $"Files loaded or tried, in order: {string.Join(", ", tried)}.\n" +
                "What to do: run 'dotnet restore' so that the TorchSharp and libtorch packages are in the NuGet cache, " +
                "check that no LD_PRELOAD or LD_LIBRARY_PATH entry forces another libtorch, or point REPROKIT_LIBTORCH_DIR " +
                $"at a folder that contains libtorch_cpu.so {LibTorchPackageVersion}. environment.md lists the known causes.",
                error);
        }
    }

    private static IntPtr ResolveTorchSharpImport(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        return s_handles.TryGetValue(libraryName, out var handle) ? handle : IntPtr.Zero;
    }

    /// <summary>
    /// Returns the versions that <paramref name="libTorchSharpPath"/> requires from libstdc++ but the
    /// host's libstdc++ (<paramref name="hostLibStdCxxPath"/>) does not define, skipping requirements that
    /// are already weak. When the host library cannot be found, every non-weak libstdc++ version newer
    /// than GCC 12's (<c>GLIBCXX_3.4.30</c>) counts as missing.
    /// </summary>
    public static IReadOnlyList<string> FindMissingVersions(string libTorchSharpPath, string? hostLibStdCxxPath)
    {
        var required = ElfSymbolVersions.ReadRequirements(libTorchSharpPath)
            .Where(r => r.Library == LibStdCxxName && !r.IsWeak)
            .Select(r => r.Version)
            .ToList();

        if (hostLibStdCxxPath is null)
        {
            return required.Where(v => v.StartsWith("GLIBCXX_", StringComparison.Ordinal) && CompareVersions(v, "GLIBCXX_3.4.30") > 0).ToList();
        }

        var defined = ElfSymbolVersions.ReadDefinitions(hostLibStdCxxPath);
        return required.Where(v => !defined.Contains(v)).ToList();
    }

    /// <summary>
    /// Returns the path of a private copy of <paramref name="originalPath"/> with the given requirements
    /// marked weak, writing it first if the cache folder does not have it yet. The folder is
    /// <c>$XDG_CACHE_HOME/reprokit/native/&lt;hash&gt;</c> (or <c>~/.cache/...</c>), keyed by the SHA-256 of
    /// the original file, so a new TorchSharp version gets a new copy.
    /// </summary>
    public static string GetOrCreateWeakenedCopy(string originalPath, IReadOnlyCollection<string> versions, ILogger? logger = null, string? cacheRoot = null)
    {
        var image = File.ReadAllBytes(originalPath);
        var hash = Convert.ToHexStringLower(SHA256.HashData(image))[..16];
        var folder = Path.Combine(cacheRoot ?? DefaultCacheRoot(), hash);
        var target = Path.Combine(folder, Path.GetFileName(originalPath));

        if (File.Exists(target))
        {
            return target;
        }

        int changed = ElfSymbolVersions.MarkWeak(image, originalPath, versions);
        if (changed == 0)
        {
            throw new InvalidOperationException($"'{originalPath}' has no non-weak requirement for {string.Join(", ", versions)}, so there is nothing to patch");
        }

        Directory.CreateDirectory(folder);

        // Write to a temporary name and rename, so that a concurrent process never loads a half-written file.
        var temporary = Path.Combine(folder, $"{Path.GetFileName(originalPath)}.{Environment.ProcessId}.tmp");
        File.WriteAllBytes(temporary, image);
        File.Move(temporary, target, overwrite: true);
        logger?.LogInformation("Wrote a private copy of {Original} with {Count} version requirement(s) marked weak to {Target}", originalPath, changed, target);
        return target;
    }

    private static string DefaultCacheRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache")
            : xdg;
        return Path.Combine(root, "reprokit", "native");
    }

    private static string FindLibTorchDirectory()
    {
        var overrideDirectory = Environment.GetEnvironmentVariable("REPROKIT_LIBTORCH_DIR");
        if (!string.IsNullOrEmpty(overrideDirectory))
        {
            if (!File.Exists(Path.Combine(overrideDirectory, "libtorch_cpu.so")))
            {
                throw new InvalidOperationException($"REPROKIT_LIBTORCH_DIR is '{overrideDirectory}', but that folder has no libtorch_cpu.so. Point it at the folder that contains libtorch {LibTorchPackageVersion}, or unset it.");
            }

            return overrideDirectory;
        }

        var candidates = NativeFolderCandidates()
            .Concat(NuGetNativeFolders("libtorch-cuda-12.8-linux-x64", LibTorchPackageVersion))
            .Concat(NuGetNativeFolders("libtorch-cpu-linux-x64", LibTorchPackageVersion))
            .ToList();
        return candidates.FirstOrDefault(c => File.Exists(Path.Combine(c, "libtorch_cpu.so")))
            ?? throw new InvalidOperationException(
                $"libtorch_cpu.so was not found in any of: {string.Join(", ", candidates)}. Run 'dotnet restore' for the project that references ReproKit, or set REPROKIT_LIBTORCH_DIR.");
    }

    private static string FindLibTorchSharp()
    {
        var version = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.107.0";
        var candidates = NativeFolderCandidates().Concat(NuGetNativeFolders("torchsharp", version)).ToList();
        return candidates.Select(c => Path.Combine(c, LibTorchSharpFileName)).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                $"{LibTorchSharpFileName} was not found in any of: {string.Join(", ", candidates)}. Run 'dotnet restore' for the project that references ReproKit.");
    }

    private static IEnumerable<string> NativeFolderCandidates()
    {
        var rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        foreach (var root in new[] { Path.GetDirectoryName(typeof(torch).Assembly.Location), AppContext.BaseDirectory }.Distinct())
        {
            if (string.IsNullOrEmpty(root))
            {
                continue;
            }

            yield return root;
            yield return Path.Combine(root, "runtimes", rid, "native");
        }
    }

    private static IEnumerable<string> NuGetNativeFolders(string package, string version)
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(packages))
        {
            packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        }

        yield return Path.Combine(packages, package.ToLowerInvariant(), version, "runtimes", "linux-x64", "native");
    }

    /// <summary>Finds the libstdc++ that the dynamic loader will bind: the one already mapped into this process, else the first in the usual folders.</summary>
    internal static string? FindHostLibStdCxx()
    {
        try
        {
            var mapped = File.ReadLines("/proc/self/maps")
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length >= 6 && Path.GetFileName(fields[5]).StartsWith("libstdc++.so", StringComparison.Ordinal))
                .Select(fields => fields[5])
                .FirstOrDefault();
            if (mapped is not null)
            {
                return mapped;
            }
        }
        catch (IOException)
        {
            // NOTE: without /proc (some containers), the fixed folder list below is the only evidence.
        }

        var folders = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib"]);
        return folders.Select(f => Path.Combine(f, LibStdCxxName)).FirstOrDefault(File.Exists);
    }

    private static int CompareVersions(string left, string right)
    {
        static int[] Parts(string v) => v[(v.IndexOf('_') + 1)..].Split('.').Select(p => int.TryParse(p, out var n) ? n : 0).ToArray();
        var (a, b) = (Parts(left), Parts(right));
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            int difference = (i < a.Length ? a[i] : 0) - (i < b.Length ? b[i] : 0);
            if (difference != 0)
            {
                return difference;
            }
        }

        return 0;
    }
}
