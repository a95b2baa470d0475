using System.Text.RegularExpressions;
using ReproKit.Reporting;

namespace ReproKit.Tests.Reporting;

public sealed class Figure4BrowserTests : IDisposable
{
    private const string PlotlySvgMarker = "class=\"main-svg\"";

    private readonly TemporaryDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [ChromiumFact]
    public void WriteHtml_RendersOffline()
    {
        string path = folder.Combine("figure4.html");
        Figure4Report.WriteHtml(
            path, Figure4ReportTests.MarginCurves(Figure4ReportTests.ThetaGrid(0, 180, 181)), "Target logit", "s = 64");

        string dom = HeadlessChromium.DumpDom(path, folder.Combine("chromium-profile"));

        Assert.Contains(PlotlySvgMarker, dom);
        Assert.Contains(">Softmax</text>", dom);
        Assert.Contains(">LMCL (m = 0.35)</text>", dom);
    }

    // Control for the test above: the same page with plotly.js replaced by a reference to a missing local file
    // must not draw, which shows that the SVG check can fail. The reference stays local so that the browser
    // never tries a network address.
    [ChromiumFact]
    public void PageWithoutPlotlyJs_DoesNotRender()
    {
        string path = folder.Combine("figure4.html");
        Figure4Report.WriteHtml(path, Figure4ReportTests.MarginCurves(Figure4ReportTests.ThetaGrid(0, 180, 19)), "Target logit");
        string html = File.ReadAllText(path);
        string stripped = Regex.Replace(
            html, "<script[^>]*>(?<body>.{1000000,}?)</script>", "<script src=\"plotly-missing.min.js\"></script>",
            RegexOptions.Singleline);
        Assert.True(stripped.Length < html.Length / 10, "The inline plotly.js script was not found, so the control page was not built.");
        string strippedPath = folder.Combine("figure4-without-plotly.html");
        File.WriteAllText(strippedPath, stripped);

        string dom = HeadlessChromium.DumpDom(strippedPath, folder.Combine("chromium-profile"));

        Assert.DoesNotContain(PlotlySvgMarker, dom);
    }
}
