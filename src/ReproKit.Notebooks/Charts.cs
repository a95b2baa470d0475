using Plotly.NET;
using ReproKit.Reporting;
using ReproKit.Training;
using PlotlyChart = Plotly.NET.CSharp.Chart;
using PlotlyChartExtensions = Plotly.NET.CSharp.GenericChartExtensions;

namespace ReproKit.Notebooks;

/// <summary>One line of a chart.</summary>
/// <param name="Name">Legend label.</param>
/// <param name="X">Horizontal values.</param>
/// <param name="Y">Vertical values, as many as <paramref name="X"/>.</param>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

/// <summary>
/// The notebooks' charts, built here so that notebook cells never call Plotly.NET's F# API directly: a cell
/// that does is compiled against the kernel's FSharp.Core 10.0 and fails with error CS1705.
/// </summary>
public static class Charts
{
    /// <summary>A line chart with one line per series.</summary>
    public static GenericChart Lines(string title, string xTitle, string yTitle, IEnumerable<Series> series, bool markers = false, int width = 900, int height = 480)
    {
        var list = series?.ToList() ?? throw new ArgumentNullException(nameof(series));
        if (list.Count == 0)
        {
            throw new ArgumentException("A chart needs at least one series.", nameof(series));
        }

        foreach (var s in list.Where(s => s.X.Count != s.Y.Count))
        {
            throw new ArgumentException($"Series '{s.Name}' has {s.X.Count} x values but {s.Y.Count} y values; give one y per x.", nameof(series));
        }

        var traces = list.Select(s => PlotlyChart.Line<double, double, string>(x: s.X, y: s.Y, Name: s.Name, ShowLegend: true, ShowMarkers: markers)).ToList();
        return Style(PlotlyChart.Combine(traces), title, xTitle, yTitle, width, height);
    }

    /// <summary>Figure 4: the target-logit curves, as <see cref="Figure4Report"/> draws them.</summary>
    public static GenericChart Figure4(IReadOnlyList<Curve> curves, string title = "Target logit against the angle to the true class (Figure 4)", string? subtitle = "Before scaling by s") =>
        Figure4Report.CreateChart(curves, title, subtitle);

    /// <summary>Training loss and test accuracy per epoch for every head of a run: two charts.</summary>
    public static (GenericChart Loss, GenericChart Accuracy) TrainingCurves(IReadOnlyList<EpochMetrics> epochs)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        if (epochs.Count == 0)
        {
            throw new ArgumentException("The run has no epoch metrics to draw; was metrics.jsonl empty?", nameof(epochs));
        }

        var byHead = epochs.GroupBy(e => e.Head).ToList();
        var loss = Lines("Training loss per epoch (margin included)", "epoch", "mean training loss",
            byHead.Select(g => new Series(g.Key, g.Select(e => (double)e.Epoch).ToList(), g.Select(e => e.TrainLoss).ToList())), markers: true);
        var accuracy = Lines("Test top-1 accuracy per epoch (scored without margin)", "epoch", "top-1 accuracy (%)",
            byHead.Select(g => new Series(g.Key, g.Select(e => (double)e.Epoch).ToList(), g.Select(e => 100 * (e.TestAccuracy ?? double.NaN)).ToList())), markers: true);
        return (loss, accuracy);
    }

    /// <summary>
    /// Two class weights on the unit circle and, for each loss, the feature directions at which each class
    /// wins with that loss's margin: the picture that Figures 2 and 3 of Cao, Gu and Huang sketch.
    /// </summary>
    public static GenericChart DecisionGeometry(MarginGeometry geometry, int size = 640)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var traces = new List<GenericChart>();
        var circle = Enumerable.Range(0, 361).Select(i => i * Math.PI / 180).ToList();
        traces.Add(PlotlyChart.Line<double, double, string>(x: circle.Select(Math.Cos), y: circle.Select(Math.Sin), Name: "unit circle", ShowLegend: false, LineColor: Color.fromString("lightgray")));
        foreach (var (name, angle) in new[] { ("W1", geometry.Class1Angle), ("W2", geometry.Class2Angle) })
        {
            traces.Add(PlotlyChart.Line<double, double, string>(x: [0, Math.Cos(angle)], y: [0, Math.Sin(angle)], Name: $"{name} (class weight)", ShowLegend: true, LineWidth: 4.0));
        }

        double radius = 1.05;
        foreach (var loss in geometry.Losses)
        {
            for (int c = 0; c < 2; c++)
            {
                double boundary = c == 0 ? loss.Class1Boundary : loss.Class2Boundary;
                traces.Add(PlotlyChart.Line<double, double, string>(
                    x: [0, radius * Math.Cos(boundary)], y: [0, radius * Math.Sin(boundary)],
                    Name: $"{loss.Name}: class {c + 1} boundary", ShowLegend: true,
                    LineDash: c == 0 ? StyleParam.DrawingStyle.Solid : StyleParam.DrawingStyle.Dash));
                radius += 0.04;
            }
        }

        var chart = PlotlyChart.Combine(traces);
        chart = Chart.withTitle("Decision boundaries on the unit circle: each class must win by its margin", Microsoft.FSharp.Core.FSharpOption<Font>.None).Invoke(chart);
        chart = PlotlyChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: "x", MinMax: Tuple.Create(-0.2, 1.4));
        chart = PlotlyChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: "y", MinMax: Tuple.Create(-0.2, 1.4));
        // The legend takes about 200 pixels on the right; the rest is close to square, so the circle stays round.
        return PlotlyChartExtensions.WithSize(chart, size + 200, size);
    }

    private static GenericChart Style(GenericChart chart, string title, string xTitle, string yTitle, int width, int height)
    {
        chart = Chart.withTitle(title, Microsoft.FSharp.Core.FSharpOption<Font>.None).Invoke(chart);
        chart = PlotlyChartExtensions.WithXAxisStyle<double, double, string>(chart, TitleText: xTitle);
        chart = PlotlyChartExtensions.WithYAxisStyle<double, double, string>(chart, TitleText: yTitle);
        return PlotlyChartExtensions.WithSize(chart, width, height);
    }
}
