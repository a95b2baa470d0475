using System.Net;
using Plotly.NET;

namespace ReproKit.Notebooks;

/// <summary>
/// Turns a Plotly.NET chart into notebook HTML that draws with the plotly.js already on the page (see
/// <see cref="EmbeddedScripts.PlotlyScriptElement"/>) rather than the CDN copy that Plotly.NET.Interactive requests.
/// </summary>
public static class ChartHtml
{
    private static int _counter;

    /// <summary>The CSS class of every chart's container; the report checks count these.</summary>
    public const string ChartClass = "reprokit-chart";

    /// <summary>A div plus a script that draws <paramref name="chart"/> into it once plotly.js is present.</summary>
    public static string Render(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        string id = $"reprokit-chart-{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid():N}";
        string figure = EmbeddedScripts.EscapeScript(GenericChart.toFigureJson(chart));
        return $$"""
            <div id="{{WebUtility.HtmlEncode(id)}}" class="{{ChartClass}}"></div>
            <script>
            (function () {
              var figure = {{figure}};
              var attempts = 0;
              function draw() {
                var element = document.getElementById('{{id}}');
                if (window.Plotly && element) { window.Plotly.newPlot(element, figure.data, figure.layout, { responsive: true, displaylogo: false }); return; }
                if (++attempts < 200) { setTimeout(draw, 50); }
                else if (element) { element.textContent = 'This chart needs plotly.js, which the notebook loads in its first cell: run that cell, then this one.'; }
              }
              draw();
            })();
            </script>
            """;
    }
}
