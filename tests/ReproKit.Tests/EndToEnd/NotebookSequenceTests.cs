using System.Text.Json;
using System.Text.RegularExpressions;
using ReproKit.Notebooks;
using ReproKit.Tests.Data;
using ReproKit.Tests.Reporting;

namespace ReproKit.Tests.EndToEnd;

/// <summary>The committed notebooks, and the whole sequence run headless and rendered offline as a user would.</summary>
public sealed class NotebookSequenceTests
{
    private static readonly string NotebooksFolder = RepositoryPaths.Combine("notebooks");

    private static readonly string[] ExpectedNotebooks =
    [
        "01-setup", "02-vgg16", "03-softmax-to-lmcl-and-lmal", "04-figure4",
        "05-training", "06-table2", "07-table1", "08-margin-explorer",
    ];

    [Fact]
    public void Eight_notebooks_in_order()
    {
        var names = Directory.GetFiles(NotebooksFolder, "*.ipynb").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(ExpectedNotebooks, names);
    }

    [Fact]
    public void Notebooks_committed_without_outputs()
    {
        foreach (string path in Directory.GetFiles(NotebooksFolder, "*.ipynb"))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            Assert.Equal(4, root.GetProperty("nbformat").GetInt32());
            Assert.Equal("csharp", root.GetProperty("metadata").GetProperty("polyglot_notebook").GetProperty("kernelInfo").GetProperty("defaultKernelName").GetString());
            int index = 0;
            foreach (var cell in root.GetProperty("cells").EnumerateArray())
            {
                index++;
                if (cell.GetProperty("cell_type").GetString() != "code")
                {
                    continue;
                }

                Assert.True(cell.GetProperty("outputs").GetArrayLength() == 0, $"{Path.GetFileName(path)} cell {index} was committed with outputs; clear all outputs before committing.");
                Assert.True(cell.GetProperty("execution_count").ValueKind == JsonValueKind.Null, $"{Path.GetFileName(path)} cell {index} has an execution count; clear all outputs before committing.");
            }
        }
    }

    [Fact]
    public void Notebooks_load_library_from_src()
    {
        foreach (string path in Directory.GetFiles(NotebooksFolder, "*.ipynb"))
        {
            string text = Source(path);
            var references = Regex.Matches(text, "#r \"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(references);
            Assert.DoesNotContain(references, r => r.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase));
            foreach (string reference in references)
            {
                Assert.StartsWith("../src/ReproKit.Notebooks/bin/Release/net10.0/", reference);
                Assert.True(File.Exists(Path.Combine(NotebooksFolder, reference)), $"{Path.GetFileName(path)} references {reference}, which the Release build does not produce.");
            }

            Assert.Contains("NotebookSession.Start()", text);
            Assert.DoesNotContain("public class", text); // library code belongs in src/, not in a notebook
        }
    }

    [Fact]
    public void Settings_select_quick_profile()
    {
        var settings = NotebookSettings.Load(NotebooksFolder);
        if (settings.Overrides.Count == 0)
        {
            Assert.Equal(Path.Combine(NotebooksFolder, NotebookSettings.FileName), settings.SourceFile);
            Assert.Equal("quick", settings.Profile);
            Assert.False(settings.Retrain);
        }

        Assert.Equal(RepositoryPaths.Combine("runs", "notebooks"), new NotebookSettings(RunsDirectory: "../runs/notebooks") { SourceFile = settings.SourceFile }.ResolveRunsDirectory());
    }

    [ChromiumFact]
    public void Sequence_renders_offline_reports()
    {
        using var folder = new TemporaryDirectory();
        string output = folder.Combine("reports");
        var (exitCode, log) = CliProcess.Run(null, "notebooks", "run", "--notebooks", NotebooksFolder, "--profile", "tiny", "--out", output);
        Assert.True(exitCode == 0, $"notebooks run failed:\n{log}");

        foreach (string name in ExpectedNotebooks)
        {
            Assert.True(File.Exists(Path.Combine(output, name + ".ipynb")), $"{name}.ipynb was not written");
            string report = Path.Combine(output, name + ".html");
            string html = File.ReadAllText(report);
            Assert.DoesNotContain("<script src=", html);
            Assert.DoesNotContain("Installing package", html);

            string dom = HeadlessChromium.DumpDom(report, folder.Combine("chromium-" + name));
            Assert.DoesNotContain("class=\"output output-error\"", dom);

            int charts = Regex.Matches(dom, "class=\"reprokit-chart[ \"]").Count;
            int drawn = Regex.Matches(dom, "class=\"reprokit-chart js-plotly-plot\"").Count;
            Assert.True(charts == drawn, $"{name}: {drawn} of {charts} charts drew their SVG offline");

            int math = Regex.Matches(dom, "class=\"math[ \"]").Count;
            int rendered = Regex.Matches(dom, "class=\"math math-rendered\"").Count;
            Assert.True(math == rendered, $"{name}: {rendered} of {math} equations rendered");
            Assert.True(Regex.Matches(dom, "<math").Count >= rendered, $"{name}: KaTeX did not produce MathML");
        }

        // Notebooks with charts and equations: a report that shows none would pass the checks above vacuously.
        Assert.Contains("js-plotly-plot", File.ReadAllText(Path.Combine(output, "04-figure4.html")) + HeadlessChromium.DumpDom(Path.Combine(output, "04-figure4.html"), folder.Combine("chromium-again")));
        Assert.True(Regex.Matches(File.ReadAllText(Path.Combine(output, "03-softmax-to-lmcl-and-lmal.html")), "class=\"math\"").Count >= 10);
        Assert.Contains("class=\"reprokit-gallery\"", File.ReadAllText(Path.Combine(output, "07-table1.html")));
    }

    [Fact]
    public void Failing_cell_named_and_stops()
    {
        using var folder = new TemporaryDirectory();
        string notebooks = folder.Combine("notebooks");
        Directory.CreateDirectory(notebooks);
        WriteNotebook(Path.Combine(notebooks, "01-fine.ipynb"), "1 + 1");
        WriteNotebook(Path.Combine(notebooks, "02-broken.ipynb"), "var ok = 2;", "// divide by zero on purpose\nvar zero = 0;\nvar boom = 1 / zero;", "ok");
        WriteNotebook(Path.Combine(notebooks, "03-never.ipynb"), "3");
        string output = folder.Combine("reports");

        var (exitCode, log) = CliProcess.Run(null, "notebooks", "run", "--notebooks", notebooks, "--out", output);

        Assert.Equal(1, exitCode);
        Assert.Contains("02-broken, cell 2 (\"// divide by zero on purpose\") failed", log);
        Assert.Contains("DivideByZeroException", log);
        Assert.True(File.Exists(Path.Combine(output, "01-fine.html")));
        Assert.False(File.Exists(Path.Combine(output, "02-broken.html")));
        Assert.False(File.Exists(Path.Combine(output, "03-never.ipynb")));
    }

    [Fact]
    public void Run_rejects_nonempty_output()
    {
        using var folder = new TemporaryDirectory();
        string earlier = folder.Write("report.html", "earlier report"u8.ToArray());

        var (exitCode, log) = CliProcess.Run(null, "notebooks", "run", "--notebooks", NotebooksFolder, "--out", folder.FullPath);

        Assert.Equal(2, exitCode);
        Assert.Contains("is not empty", log);
        Assert.Equal("earlier report", File.ReadAllText(earlier));
    }

    [Fact]
    public void Run_rejects_paper_profile()
    {
        using var folder = new TemporaryDirectory();

        var (exitCode, log) = CliProcess.Run(null, "notebooks", "run", "--notebooks", NotebooksFolder, "--profile", "paper", "--out", folder.Combine("reports"));

        Assert.Equal(2, exitCode);
        Assert.Contains("tiny, quick, full, settings", log);
        Assert.False(Directory.Exists(folder.Combine("reports")));
    }

    [Fact]
    public void Export_rejects_empty_folder()
    {
        using var folder = new TemporaryDirectory();

        var (exitCode, log) = CliProcess.Run(null, "notebooks", "export", folder.FullPath);

        Assert.Equal(2, exitCode);
        Assert.Contains("No .ipynb files", log);
    }

    [Fact]
    public void Export_rejects_missing_or_existing()
    {
        using var folder = new TemporaryDirectory();
        var (missingCode, missingLog) = CliProcess.Run(null, "notebooks", "export", folder.Combine("nope.ipynb"));
        Assert.Equal(2, missingCode);
        Assert.Contains("nope.ipynb", missingLog);

        string notebook = folder.Combine("01-a.ipynb");
        WriteNotebook(notebook, "1");
        string report = folder.Write("01-a.html", "keep me"u8.ToArray());
        var (existsCode, existsLog) = CliProcess.Run(null, "notebooks", "export", notebook);
        Assert.Equal(2, existsCode);
        Assert.Contains("--overwrite", existsLog);
        Assert.Equal("keep me", File.ReadAllText(report));

        var (overwriteCode, overwriteLog) = CliProcess.Run(null, "notebooks", "export", notebook, "--overwrite");
        Assert.True(overwriteCode == 0, overwriteLog);
        Assert.Contains("<pre class=\"source\"><code>1</code></pre>", File.ReadAllText(report));
    }

    private static string Source(string notebookPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(notebookPath));
        return string.Join("\n", document.RootElement.GetProperty("cells").EnumerateArray()
            .Select(c => string.Concat(c.GetProperty("source").EnumerateArray().Select(l => l.GetString()))));
    }

    private static void WriteNotebook(string path, params string[] codeCells)
    {
        var notebook = new
        {
            cells = codeCells.Select(code => new Dictionary<string, object?>
            {
                ["cell_type"] = "code",
                ["execution_count"] = null,
                ["metadata"] = new { polyglot_notebook = new { kernelName = "csharp" } },
                ["outputs"] = Array.Empty<object>(),
                ["source"] = new[] { code },
            }),
            metadata = new { polyglot_notebook = new { kernelInfo = new { defaultKernelName = "csharp", items = new[] { new { name = "csharp", aliases = Array.Empty<string>() } } } } },
            nbformat = 4,
            nbformat_minor = 2,
        };
        File.WriteAllText(path, JsonSerializer.Serialize(notebook));
    }
}
