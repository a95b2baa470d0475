using System.Text.RegularExpressions;
using ReproKit.Notebooks;
using ReproKit.Notebooks.Export;

namespace ReproKit.Tests.Notebooks;

public sealed class NotebookExporterTests : IDisposable
{
    private static readonly Regex ScriptWithSource = new(@"<script[^>]*\bsrc\s*=", RegexOptions.IgnoreCase);

    private readonly TemporaryDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void ToHtml_MarksMarkdownMath()
    {
        string notebook = NotebookFiles.Write(folder, "math.ipynb",
            NotebookFiles.Markdown("Inline $x^2$ here.\n\n$$\\cos\\theta$$\n"));

        string html = NotebookExporter.ToHtml(notebook);

        Assert.Matches(new Regex(@"<(span|div) class=""math""[^>]*>[^<]*x\^2[^<]*</\1>"), html);
        Assert.Matches(new Regex(@"<(span|div) class=""math""[^>]*>[^<]*\\cos\\theta[^<]*</\1>"), html);
        Assert.Contains("<section class=\"cell markdown\">", html);
    }

    [Fact]
    public void ToHtml_EncodesCode()
    {
        string notebook = NotebookFiles.Write(folder, "code.ipynb",
            NotebookFiles.Code("var tag = \"<b>\";\nif (a < b && c) { }"));

        string html = NotebookExporter.ToHtml(notebook);

        Match code = Regex.Match(html, "<pre class=\"source\"><code>(.*?)</code></pre>", RegexOptions.Singleline);
        Assert.True(code.Success, "no code block in the report");
        Assert.Contains("&lt;b&gt;", code.Groups[1].Value);
        Assert.Contains("a &lt; b &amp;&amp; c", code.Groups[1].Value);
        Assert.DoesNotContain("<b>", code.Groups[1].Value);
    }

    [Fact]
    public void ToHtml_MarksErrorOutput()
    {
        string notebook = NotebookFiles.Write(folder, "error.ipynb",
            NotebookFiles.Code("Fail();", NotebookFiles.Error("InvalidOperationException", "bad <state>")));

        string html = NotebookExporter.ToHtml(notebook);

        Assert.Contains($"<div class=\"output {NotebookExporter.ErrorClass}\">", html);
        Assert.Contains("InvalidOperationException: bad &lt;state&gt;", html);
        Assert.Equal("output-error", NotebookExporter.ErrorClass);
    }

    [Fact]
    public void ToHtml_CleanNotebookHasNoErrorClass()
    {
        string notebook = NotebookFiles.Write(folder, "clean.ipynb",
            NotebookFiles.Code("1 + 1", NotebookFiles.ExecuteResult(("text/plain", "2"))));

        string html = NotebookExporter.ToHtml(notebook);

        Assert.DoesNotContain($"class=\"output {NotebookExporter.ErrorClass}\"", html);
        Assert.Contains("<div class=\"output text\"><pre>2</pre></div>", html);
    }

    [Fact]
    public void ToHtml_LeavesOutPackageClutter()
    {
        string notebook = NotebookFiles.Write(folder, "clutter.ipynb",
            NotebookFiles.Code(
                "#r \"nuget: Something\"",
                NotebookFiles.Stream("Installing package Something...\n"),
                NotebookFiles.DisplayData(("text/plain", "Installing package Something, version 1.0")),
                NotebookFiles.Stream("kept line\n")));

        string html = NotebookExporter.ToHtml(notebook);

        Assert.DoesNotContain("Installing package", html);
        Assert.Contains("<div class=\"output stream\"><pre>kept line\n</pre></div>", html);
    }

    [Fact]
    public void ToHtml_RendersRichOutputs()
    {
        const string png = "iVBORw0KGgo=";
        string notebook = NotebookFiles.Write(folder, "rich.ipynb",
            NotebookFiles.Code(
                "Show();",
                NotebookFiles.DisplayData(("text/html", "<table id=\"kept-table\"></table>"), ("text/plain", "plain fallback")),
                NotebookFiles.DisplayData(("image/png", png + "\n"))));

        string html = NotebookExporter.ToHtml(notebook);

        Assert.Contains("<div class=\"output html\"><table id=\"kept-table\"></table></div>", html);
        Assert.DoesNotContain("plain fallback", html);
        Assert.Contains($"<img src=\"data:image/png;base64,{png}\"", html);
    }

    [Fact]
    public void ToHtml_InlinesKatexWithoutExternalScripts()
    {
        string notebook = NotebookFiles.Write(folder, "katex.ipynb", NotebookFiles.Markdown("$a + b$"));

        string html = NotebookExporter.ToHtml(notebook);

        Assert.Contains(EmbeddedScripts.EscapeScript(EmbeddedScripts.KatexJs), html);
        Assert.DoesNotMatch(ScriptWithSource, html);
        Assert.DoesNotContain("<link", html);
    }

    [Fact]
    public void ToHtml_AddsPlotlyOnceForCharts()
    {
        string chart = ChartHtml.Render(Charts.Lines("t", "x", "y", [new Series("s", [0.0, 1.0], [1.0, 2.0])]));
        string notebook = NotebookFiles.Write(folder, "charts.ipynb",
            NotebookFiles.Code("chart1", NotebookFiles.DisplayData(("text/html", chart))),
            NotebookFiles.Code("chart2", NotebookFiles.DisplayData(("text/html", chart))));

        string html = NotebookExporter.ToHtml(notebook);

        Assert.Single(Regex.Matches(html, Regex.Escape(EmbeddedScripts.PlotlyMarker)));
        Assert.Contains(EmbeddedScripts.PlotlyScriptElement(), html);
        Assert.DoesNotMatch(ScriptWithSource, html);
    }

    [Fact]
    public void ToHtml_KeepsExistingPlotly()
    {
        string chart = ChartHtml.Render(Charts.Lines("t", "x", "y", [new Series("s", [0.0, 1.0], [1.0, 2.0])]));
        string notebook = NotebookFiles.Write(folder, "session.ipynb",
            NotebookFiles.Code("NotebookSession.Start()", NotebookFiles.DisplayData(("text/html", "<table></table>" + EmbeddedScripts.PlotlyScriptElement()))),
            NotebookFiles.Code("chart", NotebookFiles.DisplayData(("text/html", chart))));

        string html = NotebookExporter.ToHtml(notebook);

        Assert.Single(Regex.Matches(html, Regex.Escape(EmbeddedScripts.PlotlyMarker)));
        Assert.Single(Regex.Matches(html, Regex.Escape("plotly.js v2.28.0")));
    }

    [Fact]
    public void ToHtml_KeepsLastStatusLineOfCell()
    {
        string notebook = NotebookFiles.Write(folder, "status.ipynb",
            NotebookFiles.Code(
                "Train();",
                NotebookFiles.DisplayData(("text/html", HtmlBlock.Status("epoch 1 of 3").Html)),
                NotebookFiles.DisplayData(("text/html", HtmlBlock.Status("epoch 2 of 3").Html)),
                NotebookFiles.Stream("result line\n"),
                NotebookFiles.DisplayData(("text/html", HtmlBlock.Status("epoch 3 of 3").Html))),
            NotebookFiles.Code(
                "Evaluate();",
                NotebookFiles.DisplayData(("text/html", HtmlBlock.Status("evaluating").Html))));

        string html = NotebookExporter.ToHtml(notebook);

        Assert.DoesNotContain("epoch 1 of 3", html);
        Assert.DoesNotContain("epoch 2 of 3", html);
        Assert.Contains("epoch 3 of 3", html);
        Assert.Contains("evaluating", html);
        Assert.Contains("result line", html);
    }

    [Fact]
    public void ToHtml_NoPlotlyWithoutCharts()
    {
        string notebook = NotebookFiles.Write(folder, "plain.ipynb",
            NotebookFiles.Code("1", NotebookFiles.ExecuteResult(("text/plain", "1"))));

        string html = NotebookExporter.ToHtml(notebook);

        Assert.DoesNotContain(EmbeddedScripts.PlotlyMarker, html);
        Assert.DoesNotContain("plotly.js v2.28.0", html);
    }

    [Fact]
    public void ToHtml_MarkerInCodeKeepsPlotly()
    {
        string chart = ChartHtml.Render(Charts.Lines("t", "x", "y", [new Series("s", [0.0, 1.0], [1.0, 2.0])]));
        string notebook = NotebookFiles.Write(folder, "marker-in-source.ipynb",
            NotebookFiles.Code("// The first output carries data-reprokit-plotly.", NotebookFiles.DisplayData(("text/html", chart))));

        string html = NotebookExporter.ToHtml(notebook);

        Assert.Contains(EmbeddedScripts.PlotlyScriptElement(), html);
    }

    [Fact]
    public void ToHtml_NonJsonFileRejected()
    {
        string path = folder.Combine("broken.ipynb");
        File.WriteAllText(path, "this is not JSON");

        var error = Assert.Throws<InvalidDataException>(() => NotebookExporter.ToHtml(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void ToHtml_JsonWithoutCellsRejected()
    {
        string path = folder.Combine("no-cells.ipynb");
        File.WriteAllText(path, """{ "metadata": {}, "nbformat": 4 }""");

        var error = Assert.Throws<InvalidDataException>(() => NotebookExporter.ToHtml(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("\"cells\"", error.Message);
    }

    [Fact]
    public void ToHtml_JsonArrayRejected()
    {
        string path = folder.Combine("array.ipynb");
        File.WriteAllText(path, "[]");

        var error = Assert.Throws<InvalidDataException>(() => NotebookExporter.ToHtml(path));

        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void Export_WritesTitledReport()
    {
        string notebook = NotebookFiles.Write(folder, "01-intro.ipynb", NotebookFiles.Markdown("# Heading"));
        string report = folder.Combine("out", "01-intro.html");

        NotebookExporter.Export(notebook, report);

        string html = File.ReadAllText(report);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<title>01-intro</title>", html);
        Assert.Contains("Heading</h1>", html);
        Assert.Equal([report], Directory.GetFiles(folder.Combine("out")));
    }

    [Fact]
    public void Export_ExistingFileNotOverwritten()
    {
        string notebook = NotebookFiles.Write(folder, "report.ipynb", NotebookFiles.Markdown("new content"));
        string report = folder.Combine("report.html");
        File.WriteAllText(report, "earlier report");

        var error = Assert.Throws<IOException>(() => NotebookExporter.Export(notebook, report));

        Assert.Contains(report, error.Message);
        Assert.Equal("earlier report", File.ReadAllText(report));
    }

    [Fact]
    public void Export_OverwriteReplacesFile()
    {
        string notebook = NotebookFiles.Write(folder, "report.ipynb", NotebookFiles.Markdown("new content"));
        string report = folder.Combine("report.html");
        File.WriteAllText(report, "earlier report");

        NotebookExporter.Export(notebook, report, overwrite: true);

        string html = File.ReadAllText(report);
        Assert.Contains("new content", html);
        Assert.DoesNotContain("earlier report", html);
        Assert.Empty(Directory.GetFiles(folder.FullPath, "*.tmp-*"));
    }

    [Fact]
    public void Export_InvalidNotebookKeepsExistingFile()
    {
        string notebook = folder.Combine("broken.ipynb");
        File.WriteAllText(notebook, "{");
        string report = folder.Combine("report.html");
        File.WriteAllText(report, "earlier report");

        Assert.Throws<InvalidDataException>(() => NotebookExporter.Export(notebook, report, overwrite: true));

        Assert.Equal("earlier report", File.ReadAllText(report));
        Assert.Empty(Directory.GetFiles(folder.FullPath, "*.tmp-*"));
    }
}
