namespace ReproKit.Tests.Data;

/// <summary>
/// Runs the archive fetch scripts (data-scripts/fetch-voc2007, fetch-voc2012 and fetch-caltech256, in bash and
/// in PowerShell) against a <see cref="RangeHttpServer"/> on 127.0.0.1 that serves small tar archives built
/// here, with --md5 set to the MD5s of those archives. No test reaches another host.
/// </summary>
public sealed class ArchiveScriptTests
{
    private const string Voc2012Archive = "VOCtrainval_11-May-2012.tar";

    // Port 9 (discard) on 127.0.0.1: tests that must not download point the scripts here, so a script that
    // wrongly goes on to download fails fast and never leaves this machine.
    private const string UnusedUrl = "http://127.0.0.1:9/";

    private static readonly Dictionary<string, DataScript> Scripts = new()
    {
        ["fetch-voc2007"] = new("REPROKIT_VOC2007_URL", "voc2007", ["VOCtrainval_06-Nov-2007.tar", "VOCtest_06-Nov-2007.tar"], "VOCdevkit/VOC2007"),
        ["fetch-voc2012"] = new("REPROKIT_VOC2012_URL", "voc2012", [Voc2012Archive], "VOCdevkit/VOC2012"),
        ["fetch-caltech256"] = new("REPROKIT_CALTECH256_URL", "caltech256", ["256_ObjectCategories.tar"], "256_ObjectCategories"),
    };

    [Theory]
    [InlineData(ScriptRunner.Bash, "fetch-voc2007")]
    [InlineData(ScriptRunner.Bash, "fetch-voc2012")]
    [InlineData(ScriptRunner.Bash, "fetch-caltech256")]
    [PowerShellData("fetch-voc2007")]
    [PowerShellData("fetch-voc2012")]
    [PowerShellData("fetch-caltech256")]
    public async Task ArchiveScript_GoodArchivesExtractedOnce(string shell, string script)
    {
        RequireShell(shell);
        DataScript data = Scripts[script];
        using var temp = new TemporaryDirectory();
        string target = temp.Combine("target");
        ServedArchive[] archives = data.Archives.Select((name, index) => new ServedArchive(name, GoodArchive(data.Folder, index))).ToArray();
        using RangeHttpServer server = Serve(temp, archives);
        string[] arguments = [.. Md5Arguments(archives), target];

        ScriptRunner.Result first = await ScriptRunner.RunAsync(shell, script, UrlEnvironment(data, server.BaseUrl), arguments);
        Dictionary<string, DateTime> firstWriteTimes = WriteTimes(target);
        int requestsAfterFirst = server.Requests.Count;
        ScriptRunner.Result second = await ScriptRunner.RunAsync(shell, script, UrlEnvironment(data, server.BaseUrl), arguments);

        AssertExitCode(0, first);
        Assert.Contains($"{archives.Length} downloaded", first.Output);
        Assert.Contains($"{archives.Length} extracted", first.Output);
        Assert.Contains("on disk", first.Output);
        for (int index = 0; index < archives.Length; index++)
        {
            string part = Path.Combine(target, data.Folder, $"part{index}");
            Assert.Equal($"content of archive {index}", File.ReadAllText(Path.Combine(part, "a.txt")));
            Assert.Equal($"content of archive {index}", File.ReadAllText(Path.Combine(part, "hard.txt")));
            Assert.Equal("a.txt", new FileInfo(Path.Combine(part, "link.txt")).LinkTarget);
            Assert.Equal($"list of archive {index}", File.ReadAllText(Path.Combine(target, data.Folder, "lists", $"list{index}.txt")));
            Assert.Contains($"md5 {archives[index].Md5}", File.ReadAllText(MarkerPath(target, archives[index].Name)));
            Assert.False(File.Exists(Path.Combine(target, archives[index].Name)), $"{archives[index].Name} was kept without --keep-archives.");
            Assert.Contains($"({archives[index].Content.Length} bytes)", first.Output);
        }

        Assert.Empty(Directory.GetFiles(target, "*.part"));
        Assert.Empty(Directory.GetDirectories(target, ".reprokit-extract-*"));
        Assert.Equal(archives.Length, requestsAfterFirst);

        AssertExitCode(0, second);
        Assert.Contains($"{archives.Length} already present", second.Output);
        Assert.Contains("0 downloaded", second.Output);
        Assert.Equal(requestsAfterFirst, server.Requests.Count);
        Assert.Equal(firstWriteTimes, WriteTimes(target));
    }

    [Theory]
    [InlineData(ScriptRunner.Bash)]
    [PowerShellData]
    public async Task ArchiveScript_KeepArchivesKeepsTar(string shell)
    {
        RequireShell(shell);
        DataScript data = Scripts["fetch-voc2012"];
        using var temp = new TemporaryDirectory();
        string target = temp.Combine("target");
        var archive = new ServedArchive(Voc2012Archive, GoodArchive(data.Folder, 0));
        using RangeHttpServer server = Serve(temp, archive);
        string[] arguments = ["--keep-archives", .. Md5Arguments(archive), target];

        ScriptRunner.Result first = await ScriptRunner.RunAsync(shell, "fetch-voc2012", UrlEnvironment(data, server.BaseUrl), arguments);
        ScriptRunner.Result second = await ScriptRunner.RunAsync(shell, "fetch-voc2012", UrlEnvironment(data, server.BaseUrl), arguments);

        AssertExitCode(0, first);
        Assert.Equal(archive.Content, File.ReadAllBytes(Path.Combine(target, Voc2012Archive)));
        Assert.Contains("kept at", first.Output);
        Assert.True(File.Exists(Path.Combine(target, data.Folder, "part0", "a.txt")), "The archive was not extracted.");
        AssertExitCode(0, second);
        Assert.Contains("1 already present", second.Output);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData(ScriptRunner.Bash)]
    [PowerShellData]
    public async Task ArchiveScript_PartialDownloadResumed(string shell)
    {
        RequireShell(shell);
        DataScript data = Scripts["fetch-voc2012"];
        using var temp = new TemporaryDirectory();
        string target = temp.Combine("target");
        var archive = new ServedArchive(Voc2012Archive, GoodArchive(data.Folder, 0));
        int half = archive.Content.Length / 2;
        Directory.CreateDirectory(target);
        File.WriteAllBytes(Path.Combine(target, Voc2012Archive + ".part"), archive.Content[..half]);
        using RangeHttpServer server = Serve(temp, archive);

        ScriptRunner.Result result = await ScriptRunner.RunAsync(
            shell, "fetch-voc2012", UrlEnvironment(data, server.BaseUrl), [.. Md5Arguments(archive), target]);

        AssertExitCode(0, result);
        RangeHttpServer.ServedRequest request = Assert.Single(server.Requests);
        Assert.Equal($"bytes={half}-", request.Range);
        Assert.Equal(206, request.StatusCode);
        Assert.Contains("resuming", result.Output);
        Assert.Contains("1 resumed", result.Output);
        Assert.False(File.Exists(Path.Combine(target, Voc2012Archive + ".part")), "The .part file was left behind.");
        Assert.Equal("content of archive 0", File.ReadAllText(Path.Combine(target, data.Folder, "part0", "a.txt")));
        Assert.True(File.Exists(MarkerPath(target, Voc2012Archive)), "The marker was not written.");
    }

    [Theory]
    [InlineData(ScriptRunner.Bash)]
    [PowerShellData]
    public async Task ArchiveScript_RangeIgnoredRestarts(string shell)
    {
        RequireShell(shell);
        DataScript data = Scripts["fetch-voc2012"];
        using var temp = new TemporaryDirectory();
        string target = temp.Combine("target");
        var archive = new ServedArchive(Voc2012Archive, GoodArchive(data.Folder, 0));
        // Bytes that the archive does not start with, so the MD5 check fails unless the download starts over.
        Directory.CreateDirectory(target);
        File.WriteAllBytes(Path.Combine(target, Voc2012Archive + ".part"), Enumerable.Repeat((byte)'x', archive.Content.Length / 2).ToArray());
        using RangeHttpServer server = Serve(temp, [archive], supportsRange: false);

        ScriptRunner.Result result = await ScriptRunner.RunAsync(
            shell, "fetch-voc2012", UrlEnvironment(data, server.BaseUrl), [.. Md5Arguments(archive), target]);

        AssertExitCode(0, result);
        Assert.Contains("does not support resuming, so the download starts over", result.Output);
        Assert.Contains("1 downloaded", result.Output);
        Assert.Equal("content of archive 0", File.ReadAllText(Path.Combine(target, data.Folder, "part0", "a.txt")));
    }

    [Theory]
    [InlineData(ScriptRunner.Bash)]
    [PowerShellData]
    public async Task ArchiveScript_ChecksumMismatchKeepsBad(string shell)
    {
        RequireShell(shell);
        DataScript data = Scripts["fetch-voc2012"];
        using var temp = new TemporaryDirectory();
        string target = temp.Combine("target");
        var archive = new ServedArchive(Voc2012Archive, GoodArchive(data.Folder, 0));
        string expectedMd5 = TarArchiveBuilder.Md5Hex("a different archive"u8.ToArray());
        using RangeHttpServer server = Serve(temp, archive);

        ScriptRunner.Result result = await ScriptRunner.RunAsync(
            shell, "fetch-voc2012", UrlEnvironment(data, server.BaseUrl), "--md5", $"{Voc2012Archive}={expectedMd5}", target);

        AssertExitCode(1, result);
        Assert.Contains("MD5 mismatch", result.Output);
        Assert.Contains(expectedMd5, result.Output);
        Assert.Contains(archive.Md5, result.Output);
        Assert.Contains(Path.Combine(target, Voc2012Archive + ".bad"), result.Output);
        Assert.Equal(archive.Content, File.ReadAllBytes(Path.Combine(target, Voc2012Archive + ".bad")));
        Assert.Equal([Voc2012Archive + ".bad"], Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(ScriptRunner.Bash, "parent")]
    [InlineData(ScriptRunner.Bash, "absolute")]
    [InlineData(ScriptRunner.Bash, "tmp-absolute")]
    [InlineData(ScriptRunner.Bash, "symlink")]
    [InlineData(ScriptRunner.Bash, "absolute-symlink")]
    [InlineData(ScriptRunner.Bash, "hardlink")]
    [InlineData(ScriptRunner.Bash, "through-symlink")]
    [PowerShellData("parent")]
    [PowerShellData("absolute")]
    [PowerShellData("tmp-absolute")]
    [PowerShellData("symlink")]
    [PowerShellData("absolute-symlink")]
    [PowerShellData("hardlink")]
    [PowerShellData("through-symlink")]
    public async Task ArchiveScript_UnsafeEntryRejected(string shell, string kind)
    {
        RequireShell(shell);
        DataScript data = Scripts["fetch-voc2012"];
        using var temp = new TemporaryDirectory();
        string target = temp.Combine("outer", "inner", "target");
        TarArchiveBuilder builder = new TarArchiveBuilder().Directory("VOCdevkit/").File("VOCdevkit/VOC2012/ok.txt", "inside");
        string entry;
        switch (kind)
        {
            case "parent":
                entry = "../escape.txt";
                builder.File(entry, "escaped");
                break;
            case "absolute":
                entry = temp.Combine("outer", "absolute.txt");
                builder.File(entry, "escaped");
                break;
            case "tmp-absolute":
                entry = "/tmp/x";
                builder.File(entry, "escaped");
                break;
            case "symlink":
                entry = "VOCdevkit/outside";
                builder.SymbolicLink(entry, "../../outside");
                break;
            case "absolute-symlink":
                entry = "VOCdevkit/outer";
                builder.SymbolicLink(entry, temp.Combine("outer"));
                break;
            case "hardlink":
                entry = "VOCdevkit/hard";
                builder.HardLink(entry, "../outside.txt");
                break;
            case "through-symlink":
                // Each link alone stays inside, but "up" is the archive root, so "up/out" is the folder above it.
                entry = "VOCdevkit/up/out";
                builder.SymbolicLink("VOCdevkit/up", "..").SymbolicLink(entry, "..").File("VOCdevkit/up/out/escape.txt", "escaped");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown kind of unsafe entry.");
        }

        var archive = new ServedArchive(Voc2012Archive, builder.Build());
        using RangeHttpServer server = Serve(temp, archive);
        FileSystemInfo tmpX = new FileInfo("/tmp/x");
        (bool Exists, DateTime WriteTime) tmpXBefore = (tmpX.Exists, tmpX.Exists ? tmpX.LastWriteTimeUtc : default);

        ScriptRunner.Result result = await ScriptRunner.RunAsync(
            shell, "fetch-voc2012", UrlEnvironment(data, server.BaseUrl), [.. Md5Arguments(archive), target]);

        AssertExitCode(1, result);
        Assert.Contains($"'{entry}'", result.Output);
        Assert.Contains("nothing was extracted", result.Output);
        // The verified archive stays, and nothing else appears inside or outside the target folder.
        string[] expected = ["outer", "outer/inner", "outer/inner/target", $"outer/inner/target/{Voc2012Archive}", "served", $"served/{Voc2012Archive}"];
        string[] found = Directory.EnumerateFileSystemEntries(temp.FullPath, "*", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(temp.FullPath, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(expected, found);
        tmpX.Refresh();
        Assert.Equal(tmpXBefore, (tmpX.Exists, tmpX.Exists ? tmpX.LastWriteTimeUtc : default));
    }

    [Theory]
    [InlineData(ScriptRunner.Bash)]
    [PowerShellData]
    public async Task ArchiveScript_InvalidArgumentsExitTwo(string shell)
    {
        RequireShell(shell);
        DataScript data = Scripts["fetch-voc2012"];
        using var temp = new TemporaryDirectory();
        string first = temp.Combine("first");
        string second = temp.Combine("second");
        (string[] Arguments, string Message)[] cases =
        [
            (["--bogus"], "unknown option '--bogus'"),
            ([first, second], $"expected one target folder, got '{first}' and '{second}'"),
            (["--", first, second], "expected at most one target folder after --"),
            ([""], "the target folder argument is empty"),
            (["--md5"], "--md5 needs a value of the form ARCHIVE=HEX"),
            (["--md5", "no-equals-sign", first], "--md5 expects ARCHIVE=HEX, got 'no-equals-sign'"),
            (["--md5", $"{Voc2012Archive}=12345", first], "'12345' is not an MD5"),
            (["--md5", "other.tar=0123456789abcdef0123456789abcdef", first], "'other.tar' is not an archive of this script"),
        ];

        foreach ((string[] arguments, string message) in cases)
        {
            ScriptRunner.Result result = await ScriptRunner.RunAsync(shell, "fetch-voc2012", UrlEnvironment(data, UnusedUrl), arguments);

            string argumentText = string.Join(' ', arguments.Select(argument => $"'{argument}'"));
            Assert.True(result.ExitCode == 2, $"Arguments {argumentText}: expected exit code 2, got {result.ExitCode}.\n{result.Output}");
            Assert.True(result.Output.Contains(message, StringComparison.Ordinal), $"Arguments {argumentText}: the output lacks \"{message}\".\n{result.Output}");
            Assert.True(result.Output.Contains("--help", StringComparison.Ordinal), $"Arguments {argumentText}: the output does not point to --help.\n{result.Output}");
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.FullPath));
    }

    [Theory]
    [InlineData(ScriptRunner.Bash)]
    [PowerShellData]
    public async Task ArchiveScript_HelpListsOptions(string shell)
    {
        RequireShell(shell);
        foreach ((string script, DataScript data) in Scripts)
        {
            foreach (string option in new[] { "-h", "--help" })
            {
                ScriptRunner.Result result = await ScriptRunner.RunAsync(shell, script, UrlEnvironment(data, UnusedUrl), option);

                Assert.True(result.ExitCode == 0, $"{script} {option}: expected exit code 0, got {result.ExitCode}.\n{result.Output}");
                string[] expectedTexts = ["Usage: " + script, "--keep-archives", "--md5 ARCHIVE=HEX", data.UrlVariable, $"data/{data.Slug}", "Layout after extraction", .. data.Archives];
                foreach (string expected in expectedTexts)
                {
                    Assert.True(result.Output.Contains(expected, StringComparison.Ordinal), $"{script} {option}: the help lacks \"{expected}\".\n{result.Output}");
                }
            }
        }
    }

    [Theory]
    [PowerShellData]
    public async Task ArchiveScript_MarkerSharedBetweenShells(string shell)
    {
        RequireShell(shell);
        DataScript data = Scripts["fetch-voc2012"];
        using var temp = new TemporaryDirectory();
        var archive = new ServedArchive(Voc2012Archive, GoodArchive(data.Folder, 0));
        using RangeHttpServer server = Serve(temp, archive);
        IReadOnlyDictionary<string, string> environment = UrlEnvironment(data, server.BaseUrl);
        string fetchedByBash = temp.Combine("fetched-by-bash");
        string fetchedByPowerShell = temp.Combine("fetched-by-pwsh");

        ScriptRunner.Result bashFetch = await ScriptRunner.RunAsync(ScriptRunner.Bash, "fetch-voc2012", environment, [.. Md5Arguments(archive), fetchedByBash]);
        ScriptRunner.Result powerShellCheck = await ScriptRunner.RunAsync(shell, "fetch-voc2012", environment, [.. Md5Arguments(archive), fetchedByBash]);
        ScriptRunner.Result powerShellFetch = await ScriptRunner.RunAsync(shell, "fetch-voc2012", environment, [.. Md5Arguments(archive), fetchedByPowerShell]);
        ScriptRunner.Result bashCheck = await ScriptRunner.RunAsync(ScriptRunner.Bash, "fetch-voc2012", environment, [.. Md5Arguments(archive), fetchedByPowerShell]);

        AssertExitCode(0, bashFetch);
        AssertExitCode(0, powerShellCheck);
        Assert.Contains("1 already present", powerShellCheck.Output);
        AssertExitCode(0, powerShellFetch);
        AssertExitCode(0, bashCheck);
        Assert.Contains("1 already present", bashCheck.Output);
        Assert.Equal(2, server.Requests.Count);
    }

    private static void RequireShell(string shell)
    {
        if (shell == ScriptRunner.PowerShell)
        {
            PowerShellTool.AssertAvailable();
        }
    }

    // A small archive in the data set's layout. Its own folder holds a file with a hard link and a symbolic
    // link to it, and a folder that every archive of the data set shares holds one more file, as in VOC 2007.
    private static byte[] GoodArchive(string folder, int index) =>
        new TarArchiveBuilder()
            .Directory($"{folder}/")
            .Directory($"{folder}/part{index}/")
            .File($"{folder}/part{index}/a.txt", $"content of archive {index}")
            .HardLink($"{folder}/part{index}/hard.txt", $"{folder}/part{index}/a.txt")
            .SymbolicLink($"{folder}/part{index}/link.txt", "a.txt")
            .Directory($"{folder}/lists/")
            .File($"{folder}/lists/list{index}.txt", $"list of archive {index}")
            .Build();

    private static RangeHttpServer Serve(TemporaryDirectory temp, params ServedArchive[] archives) => Serve(temp, archives, supportsRange: true);

    private static RangeHttpServer Serve(TemporaryDirectory temp, ServedArchive[] archives, bool supportsRange)
    {
        string served = temp.Combine("served");
        Directory.CreateDirectory(served);
        foreach (ServedArchive archive in archives)
        {
            File.WriteAllBytes(Path.Combine(served, archive.Name), archive.Content);
        }

        return RangeHttpServer.Start(served, supportsRange);
    }

    private static string[] Md5Arguments(params ServedArchive[] archives) =>
        archives.SelectMany(archive => new[] { "--md5", $"{archive.Name}={archive.Md5}" }).ToArray();

    private static IReadOnlyDictionary<string, string> UrlEnvironment(DataScript data, string baseUrl) =>
        new Dictionary<string, string> { [data.UrlVariable] = baseUrl };

    private static string MarkerPath(string target, string archiveName) => Path.Combine(target, ".reprokit-fetched-" + archiveName);

    private static Dictionary<string, DateTime> WriteTimes(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(path => path, path => Directory.Exists(path) ? Directory.GetLastWriteTimeUtc(path) : File.GetLastWriteTimeUtc(path));

    private static void AssertExitCode(int expected, ScriptRunner.Result result) =>
        Assert.True(result.ExitCode == expected, $"Expected exit code {expected}, got {result.ExitCode}.\n{result.Output}");

    /// <summary>A script's base-URL variable, its folder under data/, its archives, and the folder they fill.</summary>
    private sealed record DataScript(string UrlVariable, string Slug, string[] Archives, string Folder);

    private sealed record ServedArchive(string Name, byte[] Content)
    {
        public string Md5 { get; } = TarArchiveBuilder.Md5Hex(Content);
    }
}
