using System.Net;
using System.Text;
using System.Text.Json;
using Markdig;

namespace ReproKit.Notebooks.Export;

/// <summary>
/// Turns an executed notebook (.ipynb) into one self-contained HTML report: markdown with its equations,
/// the code, and every output. KaTeX is inlined and turns the equations into MathML when the page opens.
/// plotly.js comes with the notebook's first output, and is added here when that output is missing. Nothing
/// is fetched from the network.
/// </summary>
public static class NotebookExporter
{
    /// <summary>CSS class of an output that contains an error. A clean report has none.</summary>
    public const string ErrorClass = "output-error";

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder()
        .UseMathematics()
        .UsePipeTables()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .Build();

    // Kernel messages about fetching packages are progress notes, not results; reports leave them out.
    private static readonly string[] ClutterMarkers = ["Installing package", "Installed Packages", "Restore sources", "Loading extensions from"];

    /// <summary>Writes the report for <paramref name="notebookPath"/> to <paramref name="htmlPath"/>.</summary>
    /// <exception cref="IOException"><paramref name="htmlPath"/> exists and <paramref name="overwrite"/> is false.</exception>
    public static void Export(string notebookPath, string htmlPath, bool overwrite = false)
    {
        if (File.Exists(htmlPath) && !overwrite)
        {
            throw new IOException($"{htmlPath} already exists. Choose another output folder or pass --overwrite.");
        }

        string html = ToHtml(notebookPath);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(htmlPath));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        string temporary = htmlPath + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(temporary, html, new UTF8Encoding(false));
        File.Move(temporary, htmlPath, overwrite: true);
    }

    /// <summary>Whether any code cell of the notebook at <paramref name="notebookPath"/> has an output (false for an unreadable file).</summary>
    public static bool HasOutputs(string notebookPath)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(notebookPath));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("cells", out var cells) && cells.ValueKind == JsonValueKind.Array
                && cells.EnumerateArray().Any(c => c.TryGetProperty("outputs", out var o) && o.ValueKind == JsonValueKind.Array && o.GetArrayLength() > 0);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The report's HTML for the notebook at <paramref name="notebookPath"/>.</summary>
    public static string ToHtml(string notebookPath)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(notebookPath));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{notebookPath} is not a notebook: its JSON does not parse ({e.Message}). Export an .ipynb file written by VS Code or by 'reprokit notebooks run'.", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{notebookPath} has no \"cells\" array, so it is not a Jupyter notebook (nbformat 4).");
            }

            return Render(Path.GetFileNameWithoutExtension(notebookPath), cells);
        }
    }

    private static string Render(string title, JsonElement cells)
    {
        var body = new StringBuilder();
        bool outputsHavePlotly = false;
        bool outputsHaveCharts = false;
        int index = 0;
        foreach (var cell in cells.EnumerateArray())
        {
            index++;
            string type = cell.TryGetProperty("cell_type", out var t) ? t.GetString() ?? string.Empty : string.Empty;
            string source = JoinText(cell, "source");
            if (type == "markdown")
            {
                body.Append("<section class=\"cell markdown\">").Append(Markdig.Markdown.ToHtml(source, Markdown)).Append("</section>\n");
            }
            else if (type == "code")
            {
                body.Append("<section class=\"cell code\" data-cell=\"").Append(index).Append("\"><pre class=\"source\"><code>")
                    .Append(WebUtility.HtmlEncode(source)).Append("</code></pre>");
                if (cell.TryGetProperty("outputs", out var outputs) && outputs.ValueKind == JsonValueKind.Array)
                {
                    var rendered = outputs.EnumerateArray().Select(RenderOutput).ToList();
                    outputsHavePlotly |= rendered.Any(o => o.Contains(EmbeddedScripts.PlotlyMarker, StringComparison.Ordinal));
                    outputsHaveCharts |= rendered.Any(o => o.Contains(ChartHtml.ChartClass, StringComparison.Ordinal));
                    int lastStatus = rendered.FindLastIndex(IsStatus);
                    for (int i = 0; i < rendered.Count; i++)
                    {
                        // A headless run records each update of a status line as its own output; only the last is kept.
                        if (!IsStatus(rendered[i]) || i == lastStatus)
                        {
                            body.Append(rendered[i]);
                        }
                    }
                }

                body.Append("</section>\n");
            }
        }

        string content = body.ToString();
        bool needsPlotly = outputsHaveCharts && !outputsHavePlotly;
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n")
            .Append("<style>").Append(Css).Append("</style>\n");
        if (needsPlotly)
        {
            page.Append(EmbeddedScripts.PlotlyScriptElement()).Append('\n');
        }

        page.Append("<script>").Append(EmbeddedScripts.EscapeScript(EmbeddedScripts.KatexJs)).Append("</script>\n</head>\n<body>\n<main>\n")
            .Append(content)
            .Append("</main>\n<script>").Append(MathScript).Append("</script>\n</body></html>\n");
        return page.ToString();
    }

    private static string RenderOutput(JsonElement output)
    {
        string kind = output.TryGetProperty("output_type", out var k) ? k.GetString() ?? string.Empty : string.Empty;
        switch (kind)
        {
            case "error":
                string name = output.TryGetProperty("ename", out var n) ? n.GetString() ?? "Error" : "Error";
                string value = output.TryGetProperty("evalue", out var v) ? v.GetString() ?? string.Empty : string.Empty;
                return $"<div class=\"output {ErrorClass}\"><pre>{WebUtility.HtmlEncode(name)}: {WebUtility.HtmlEncode(value)}</pre></div>";
            case "stream":
                string text = JoinText(output, "text");
                return IsClutter(text) ? string.Empty : $"<div class=\"output stream\"><pre>{WebUtility.HtmlEncode(text)}</pre></div>";
            case "display_data" or "execute_result" or "update_display_data":
                if (!output.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
                {
                    return string.Empty;
                }

                if (data.TryGetProperty("text/html", out _))
                {
                    string html = JoinText(data, "text/html");
                    return IsClutter(html) ? string.Empty : $"<div class=\"output html\">{html}</div>";
                }

                if (data.TryGetProperty("image/svg+xml", out _))
                {
                    return $"<div class=\"output image\">{JoinText(data, "image/svg+xml")}</div>";
                }

                if (data.TryGetProperty("image/png", out _))
                {
                    return $"<div class=\"output image\"><img src=\"data:image/png;base64,{WebUtility.HtmlEncode(JoinText(data, "image/png").Trim())}\" alt=\"output image\"/></div>";
                }

                if (data.TryGetProperty("text/plain", out _))
                {
                    string plain = JoinText(data, "text/plain");
                    return IsClutter(plain) ? string.Empty : $"<div class=\"output text\"><pre>{WebUtility.HtmlEncode(plain)}</pre></div>";
                }

                return string.Empty;
            default:
                return string.Empty;
        }
    }

    private static bool IsStatus(string html) => html.Contains($"class=\"{HtmlBlock.StatusClass}\"", StringComparison.Ordinal);

    private static bool IsClutter(string text) => ClutterMarkers.Any(m => text.Contains(m, StringComparison.Ordinal));

    // nbformat stores multi-line text either as one string or as an array of lines.
    internal static string JoinText(JsonElement element, string property)
    {
        if (!element.TryGetProperty(property, out var value))
        {
            return string.Empty;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString() ?? string.Empty,
            JsonValueKind.Array => string.Concat(value.EnumerateArray().Select(line => line.GetString())),
            _ => string.Empty,
        };
    }

    private const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; background: #fafafa; color: #222; }
        main { max-width: 1100px; margin: 0 auto; padding: 1.5rem 2rem; background: #fff; }
        .cell { margin: 1rem 0; }
        pre.source { background: #f3f4f6; border-left: 3px solid #6b7280; padding: 0.6rem 0.8rem; overflow-x: auto; font-size: 0.85rem; }
        .output { margin: 0.4rem 0 0.4rem 1rem; overflow-x: auto; }
        .output pre { font-size: 0.85rem; white-space: pre-wrap; }
        .output-error { border-left: 3px solid #b91c1c; background: #fef2f2; padding: 0.4rem 0.8rem; }
        table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
        th, td { border: 1px solid #d1d5db; padding: 0.25rem 0.6rem; }
        .math-error { color: #b91c1c; }
        """;

    // Markdig marks inline math as <span class="math">\(...\)</span> and display math as <div class="math">\[...\]</div>.
    private const string MathScript = """
        (function () {
          var nodes = document.querySelectorAll('.markdown .math');
          for (var i = 0; i < nodes.length; i++) {
            var node = nodes[i];
            var tex = node.textContent.trim();
            var display = node.tagName === 'DIV';
            tex = tex.replace(/^\\\(|\\\)$/g, '').replace(/^\\\[|\\\]$/g, '').trim();
            try {
              katex.render(tex, node, { displayMode: display, output: 'mathml', throwOnError: true });
              node.classList.add('math-rendered');
            } catch (e) {
              node.classList.add('math-error');
              node.setAttribute('title', String(e));
            }
          }
        })();
        """;
}
