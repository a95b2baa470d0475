using System.Text.Json.Nodes;

namespace ReproKit.Tests.Notebooks;

/// <summary>Builds small Jupyter notebooks (nbformat 4) by hand for the exporter and runner tests.</summary>
internal static class NotebookFiles
{
    /// <summary>Writes a notebook with <paramref name="cells"/> to <paramref name="name"/> in <paramref name="folder"/> and returns its path.</summary>
    public static string Write(TemporaryDirectory folder, string name, params JsonObject[] cells)
    {
        var notebook = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select(c => (JsonNode)c).ToArray()),
            ["metadata"] = new JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        string path = folder.Combine(name);
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }

    public static JsonObject Markdown(string source) => new()
    {
        ["cell_type"] = "markdown",
        ["metadata"] = new JsonObject(),
        ["source"] = Lines(source),
    };

    public static JsonObject Code(string source, params JsonObject[] outputs) => new()
    {
        ["cell_type"] = "code",
        ["execution_count"] = 1,
        ["metadata"] = new JsonObject(),
        ["source"] = Lines(source),
        ["outputs"] = new JsonArray(outputs.Select(o => (JsonNode)o).ToArray()),
    };

    /// <summary>A display_data output with one entry per MIME type.</summary>
    public static JsonObject DisplayData(params (string MimeType, string Content)[] data) => RichOutput("display_data", data);

    /// <summary>An execute_result output with one entry per MIME type.</summary>
    public static JsonObject ExecuteResult(params (string MimeType, string Content)[] data)
    {
        var output = RichOutput("execute_result", data);
        output["execution_count"] = 1;
        return output;
    }

    public static JsonObject Stream(string text) => new()
    {
        ["output_type"] = "stream",
        ["name"] = "stdout",
        ["text"] = Lines(text),
    };

    public static JsonObject Error(string name, string value) => new()
    {
        ["output_type"] = "error",
        ["ename"] = name,
        ["evalue"] = value,
        ["traceback"] = new JsonArray(),
    };

    // nbformat stores multi-line text as an array of lines, each but the last ending in a newline.
    private static JsonArray Lines(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            int length = end < 0 ? text.Length - start : end - start + 1;
            lines.Add(text.Substring(start, length));
            start += length;
        }

        return lines;
    }

    private static JsonObject RichOutput(string kind, (string MimeType, string Content)[] data)
    {
        var bundle = new JsonObject();
        foreach (var (mimeType, content) in data)
        {
            bundle[mimeType] = Lines(content);
        }

        return new JsonObject
        {
            ["output_type"] = kind,
            ["metadata"] = new JsonObject(),
            ["data"] = bundle,
        };
    }
}
