using System.Globalization;
using System.Text;
using Microsoft.FSharp.Core;
using Plotly.NET;
using PlotlyChart = Plotly.NET.CSharp.Chart;
using PlotlyChartExtensions = Plotly.NET.CSharp.GenericChartExtensions;

namespace ReproKit.Reporting;

/// <summary>
/// Writes the target-logit curves (softmax, LMCL, LMAL as functions of theta) as a chart page and as CSV.
/// </summary>
public static class Figure4Report
{
    /// <summary>Header of the angle column in the CSV written by <see cref="WriteCsv"/>.</summary>
    public const string ThetaColumnHeader = "theta_deg";

    // Dash patterns cycle alongside plotly's default colors so that curves stay apart in grayscale prints.
    private static readonly StyleParam.DrawingStyle[] LineDashes =
    [
        StyleParam.DrawingStyle.Solid,
        StyleParam.DrawingStyle.Dash,
        StyleParam.DrawingStyle.Dot,
        StyleParam.DrawingStyle.DashDot,
        StyleParam.DrawingStyle.LongDash,
        StyleParam.DrawingStyle.LongDashDot,
    ];

    /// <summary>
    /// Writes a line chart of <paramref name="curves"/> (x: theta in degrees, y: unscaled target logit)
    /// as a self-contained HTML page. The page inlines plotly.js 2.28.0 (about 3.6 MB, the copy embedded in
    /// Plotly.NET 6.0.0), so it renders without network access. An existing file is replaced atomically.
    /// </summary>
    /// <param name="path">Output file, for example "out/figure4.html". Its folder is created if missing.</param>
    /// <param name="curves">At least one curve. Names must be unique and values finite. The curves may use different theta grids.</param>
    /// <param name="title">Chart and page title. Must not be blank.</param>
    /// <param name="subtitle">Optional second title line, for example the margins used. Null or blank omits it.</param>
    /// <exception cref="ArgumentException">A curve is invalid, the title is blank, or <paramref name="path"/> is a directory.
    /// The message names the curve or path.</exception>
    public static void WriteHtml(string path, IReadOnlyList<Curve> curves, string title, string? subtitle = null)
    {
        ArgumentNullException.ThrowIfNull(title);
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new ArgumentException("Chart title is blank. Pass a title such as 'Target logit vs. theta'.", nameof(title));
        }

        ValidateCurves(curves);

        string html = GenericChart.toEmbeddedHTML(BuildChart(curves, title, subtitle));

        // Guards the self-contained promise against a Plotly.NET upgrade that changes how PlotlyJSReference.Full works.
        if (html.Contains("<script src=", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                "Plotly.NET produced a page with an external <script src=...> reference, so it would not render offline. "
                + "Check the Plotly.NET version and its PlotlyJSReference.Full behaviour.");
        }

        AtomicFile.WriteAllText(path, html);
    }

    /// <summary>
    /// Writes <paramref name="curves"/> as CSV: a <c>theta_deg</c> column, then one column per curve headed by its name.
    /// Numbers use the invariant culture and the shortest round-trippable form. Lines end with "\n".
    /// An existing file is replaced atomically.
    /// </summary>
    /// <param name="path">Output file, for example "out/figure4.csv". Its folder is created if missing.</param>
    /// <param name="curves">At least one curve. All must share the same theta grid, have unique names and finite values.</param>
    /// <exception cref="ArgumentException">A curve is invalid or uses a different theta grid from the first curve,
    /// or <paramref name="path"/> is a directory. The message names the curve or path.</exception>
    public static void WriteCsv(string path, IReadOnlyList<Curve> curves)
    {
        ValidateCurves(curves);
        ValidateSharedGrid(curves);

        var csv = new StringBuilder();
        csv.Append(ThetaColumnHeader);
        foreach (Curve curve in curves)
        {
            csv.Append(',').Append(CsvText.Escape(curve.Name));
        }

        csv.Append('\n');

        IReadOnlyList<double> grid = curves[0].ThetaDegrees;
        for (int i = 0; i < grid.Count; i++)
        {
            csv.Append(FormatRoundTrip(grid[i]));
            foreach (Curve curve in curves)
            {
                csv.Append(',').Append(FormatRoundTrip(curve.Values[i]));
            }

            csv.Append('\n');
        }

        AtomicFile.WriteAllText(path, csv.ToString());
    }

    /// <summary>
    /// The chart that <see cref="WriteHtml"/> writes, for hosts that render it themselves (the notebooks).
    /// </summary>
    public static GenericChart CreateChart(IReadOnlyList<Curve> curves, string title, string? subtitle = null)
    {
        ValidateCurves(curves);
        return BuildChart(curves, title, subtitle);
    }

    private static GenericChart BuildChart(IReadOnlyList<Curve> curves, string title, string? subtitle)
    {
        var traces = new List<GenericChart>(curves.Count);
        for (int i = 0; i < curves.Count; i++)
        {
            Curve curve = curves[i];
            traces.Add(PlotlyChart.Line<double, double, string>(
                x: curve.ThetaDegrees,
                y: curve.Values,
                Name: EscapePlotlyText(curve.Name),
                ShowLegend: true,
                LineDash: LineDashes[i % LineDashes.Length],
                LineWidth: 2.0));
        }

        GenericChart chart = PlotlyChart.Combine(traces);
        chart = PlotlyChartExtensions.WithXAxisStyle<double, double, string>(
            chart, TitleText: "θ, angle between feature and true-class weight (degrees)");
        chart = PlotlyChartExtensions.WithYAxisStyle<double, double, string>(
            chart, TitleText: "Target logit before scaling by s (unitless)");
        chart = Chart.withTitle(FormatTitle(title, subtitle), FSharpOption<Font>.None).Invoke(chart);

        // plotly.js's default square layout gives half the width to the legend when the names are long, so
        // the plot is wide and the legend sits underneath.
        chart = PlotlyChartExtensions.WithSize(chart, 960, 600);
        chart = PlotlyChartExtensions.WithLegendStyle(chart, Orientation: StyleParam.Orientation.Horizontal, Y: -0.2);

        // PlotlyJSReference.Full inlines the plotly.js copy that Plotly.NET carries as an embedded resource.
        // Plotly.NET 6 exposes these F# optional parameters to C# as required FSharpOption arguments.
        DisplayOptions displayOptions = DisplayOptions.init(
            DocumentTitle: FSharpOption<string>.Some(title),
            DocumentDescription: FSharpOption<string>.None,
            DocumentCharset: FSharpOption<string>.None,
            DocumentFavicon: FSharpOption<Giraffe.ViewEngine.HtmlElements.XmlNode>.None,
            AdditionalHeadTags: FSharpOption<Microsoft.FSharp.Collections.FSharpList<Giraffe.ViewEngine.HtmlElements.XmlNode>>.None,
            ChartDescription: FSharpOption<Microsoft.FSharp.Collections.FSharpList<Giraffe.ViewEngine.HtmlElements.XmlNode>>.None,
            PlotlyJSReference: FSharpOption<PlotlyJSReference>.Some(PlotlyJSReference.Full));
        return GenericChart.addDisplayOptions(displayOptions, chart);
    }

    // plotly.js 2.28 has no layout.title.subtitle, so the subtitle goes on a second, smaller line.
    private static string FormatTitle(string title, string? subtitle)
    {
        string text = EscapePlotlyText(title);
        return string.IsNullOrWhiteSpace(subtitle) ? text : $"{text}<br><sub>{EscapePlotlyText(subtitle)}</sub>";
    }

    // plotly.js reads titles and legend names as a small HTML subset and decodes these entities, so the text shows
    // as written. Escaping '<' also keeps a name such as "</script>" from ending the page's inline script early.
    private static string EscapePlotlyText(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);

    private static string FormatRoundTrip(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void ValidateCurves(IReadOnlyList<Curve> curves)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0)
        {
            throw new ArgumentException("The curve list is empty. Pass at least one curve.", nameof(curves));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int index = 0; index < curves.Count; index++)
        {
            Curve curve = curves[index]
                ?? throw new ArgumentException($"Curve at index {index} is null.", nameof(curves));
            ValidateCurve(curve, index);

            if (!names.Add(curve.Name))
            {
                throw new ArgumentException(
                    $"Curve name '{curve.Name}' appears more than once. Give each curve a unique name, because it labels a legend entry and a CSV column.",
                    nameof(curves));
            }
        }
    }

    private static void ValidateCurve(Curve curve, int index)
    {
        if (string.IsNullOrWhiteSpace(curve.Name))
        {
            throw new ArgumentException($"Curve at index {index} has a blank name. Give it a name such as 'LMAL'.", "curves");
        }

        if (curve.Name == ThetaColumnHeader)
        {
            throw new ArgumentException(
                $"Curve at index {index} is named '{ThetaColumnHeader}', which is the angle column's header. Rename the curve.", "curves");
        }

        if (curve.ThetaDegrees is null || curve.Values is null)
        {
            throw new ArgumentException($"Curve '{curve.Name}' has a null ThetaDegrees or Values list.", "curves");
        }

        if (curve.ThetaDegrees.Count == 0)
        {
            throw new ArgumentException($"Curve '{curve.Name}' has no points. Pass at least one theta value.", "curves");
        }

        if (curve.ThetaDegrees.Count != curve.Values.Count)
        {
            throw new ArgumentException(
                $"Curve '{curve.Name}' has {curve.ThetaDegrees.Count} theta values but {curve.Values.Count} logit values. Pass one logit per theta.",
                "curves");
        }

        for (int i = 0; i < curve.ThetaDegrees.Count; i++)
        {
            if (!double.IsFinite(curve.ThetaDegrees[i]))
            {
                throw new ArgumentException(
                    $"Curve '{curve.Name}' has a non-finite theta ({curve.ThetaDegrees[i].ToString(CultureInfo.InvariantCulture)}) at index {i}.",
                    "curves");
            }

            if (!double.IsFinite(curve.Values[i]))
            {
                throw new ArgumentException(
                    $"Curve '{curve.Name}' has a non-finite logit ({curve.Values[i].ToString(CultureInfo.InvariantCulture)}) at index {i} "
                    + $"(theta = {curve.ThetaDegrees[i].ToString(CultureInfo.InvariantCulture)} degrees).",
                    "curves");
            }
        }
    }

    // The CSV has one theta column, so every curve must be sampled at exactly the same angles.
    private static void ValidateSharedGrid(IReadOnlyList<Curve> curves)
    {
        IReadOnlyList<double> grid = curves[0].ThetaDegrees;
        foreach (Curve curve in curves.Skip(1))
        {
            if (curve.ThetaDegrees.Count != grid.Count)
            {
                throw new ArgumentException(
                    $"Curve '{curve.Name}' has {curve.ThetaDegrees.Count} theta values but curve '{curves[0].Name}' has {grid.Count}. "
                    + "The CSV needs all curves on the same theta grid.",
                    nameof(curves));
            }

            for (int i = 0; i < grid.Count; i++)
            {
                if (curve.ThetaDegrees[i] != grid[i])
                {
                    throw new ArgumentException(
                        $"Curve '{curve.Name}' has theta {curve.ThetaDegrees[i].ToString("R", CultureInfo.InvariantCulture)} at index {i}, "
                        + $"but curve '{curves[0].Name}' has {grid[i].ToString("R", CultureInfo.InvariantCulture)}. "
                        + "The CSV needs all curves on the same theta grid.",
                        nameof(curves));
                }
            }
        }
    }
}
