using System.Reflection;

namespace ReproKit.Notebooks;

/// <summary>The two browser libraries that reports and notebook outputs inline, so they render with no network.</summary>
public static class EmbeddedScripts
{
    private static readonly Lazy<string> PlotlyText = new(() => Read(typeof(Plotly.NET.GenericChart).Assembly, "Plotly.NET.plotly-2.28.0.min.js"));
    private static readonly Lazy<string> KatexText = new(() => Read(typeof(EmbeddedScripts).Assembly, "ReproKit.Notebooks.katex.min.js"));

    /// <summary>plotly.js 2.28.0, the copy that Plotly.NET.dll carries as a resource.</summary>
    public static string PlotlyJs => PlotlyText.Value;

    /// <summary>KaTeX 0.19.1 (<c>katex.min.js</c>), embedded in this assembly.</summary>
    public static string KatexJs => KatexText.Value;

    /// <summary>Marks the inline plotly.js script, so the exporter can tell whether a report already has it.</summary>
    public const string PlotlyMarker = "data-reprokit-plotly";

    /// <summary>A script element that defines <c>window.Plotly</c> unless an earlier output already did.</summary>
    public static string PlotlyScriptElement() =>
        $"<script {PlotlyMarker}=\"2.28.0\">if (typeof window.Plotly === 'undefined') {{\n{EscapeScript(PlotlyJs)}\n}}</script>";

    /// <summary>Keeps a script's text from closing its element early.</summary>
    internal static string EscapeScript(string script) =>
        System.Text.RegularExpressions.Regex.Replace(script, "</(script)", "<\\/$1", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The resource '{name}' is missing from {assembly.GetName().Name}. The package version may have changed; check Directory.Packages.props.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
