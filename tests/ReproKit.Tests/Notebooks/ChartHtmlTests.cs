using System.Text.Json;
using System.Text.RegularExpressions;
using Plotly.NET;
using ReproKit.Notebooks;

namespace ReproKit.Tests.Notebooks;

public sealed class ChartHtmlTests
{
    private static GenericChart SmallChart(string seriesName = "loss") =>
        Charts.Lines("Training loss", "epoch", "loss", [new Series(seriesName, [1.0, 2.0, 3.0], [0.9, 0.5, 0.4])]);

    [Fact]
    public void Render_WritesChartContainer()
    {
        string html = ChartHtml.Render(SmallChart());

        Match container = Regex.Match(html, "<div id=\"([^\"]+)\" class=\"" + ChartHtml.ChartClass + "\"></div>");
        Assert.True(container.Success, html[..Math.Min(300, html.Length)]);
        Assert.Contains($"document.getElementById('{container.Groups[1].Value}')", html);
        Assert.Equal("reprokit-chart", ChartHtml.ChartClass);
    }

    [Fact]
    public void Render_GivesEachChartUniqueId()
    {
        var chart = SmallChart();

        string first = ChartHtml.Render(chart);
        string second = ChartHtml.Render(chart);

        Assert.NotEqual(ContainerId(first), ContainerId(second));
    }

    [Fact]
    public void Render_FigureContainsSeriesAndTitle()
    {
        using var figure = JsonDocument.Parse(FigureJson(ChartHtml.Render(SmallChart("validation loss"))));

        var trace = Assert.Single(figure.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal("validation loss", trace.GetProperty("name").GetString());
        Assert.Equal([1.0, 2.0, 3.0], trace.GetProperty("x").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal([0.9, 0.5, 0.4], trace.GetProperty("y").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Contains("Training loss", figure.RootElement.GetProperty("layout").GetRawText());
    }

    [Theory]
    [InlineData("</script><script>alert(1)</script>")]
    [InlineData("end </script > tag")]
    public void Render_ScriptEndTagEscaped(string seriesName)
    {
        string html = ChartHtml.Render(SmallChart(seriesName));

        // Only the chart's own closing tag may remain, and the figure must still parse with the name intact.
        Assert.Single(Regex.Matches(html, "</script", RegexOptions.IgnoreCase));
        Assert.EndsWith("</script>", html.TrimEnd());
        using var figure = JsonDocument.Parse(FigureJson(html));
        Assert.Equal(seriesName, figure.RootElement.GetProperty("data")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void Render_ScriptEndTagKeepsCase()
    {
        const string seriesName = "end </SCRIPT> tag";

        string html = ChartHtml.Render(SmallChart(seriesName));

        Assert.Single(Regex.Matches(html, "</script", RegexOptions.IgnoreCase));
        using var figure = JsonDocument.Parse(FigureJson(html));
        Assert.Equal(seriesName, figure.RootElement.GetProperty("data")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void Lines_MismatchedCountsRejected()
    {
        Series[] series =
        [
            new("train", [1.0, 2.0], [0.5, 0.4]),
            new("test", [1.0, 2.0, 3.0], [0.6, 0.5]),
        ];

        var error = Assert.Throws<ArgumentException>(() => Charts.Lines("t", "x", "y", series));

        Assert.Equal("series", error.ParamName);
        Assert.Contains("'test'", error.Message);
        Assert.Contains("3 x values", error.Message);
        Assert.Contains("2 y values", error.Message);
        Assert.DoesNotContain("'train'", error.Message);
    }

    [Fact]
    public void Lines_EmptySeriesListRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Charts.Lines("t", "x", "y", []));

        Assert.Equal("series", error.ParamName);
        Assert.Contains("at least one series", error.Message);
    }

    [Fact]
    public void Lines_NullSeriesRejected()
    {
        var error = Assert.Throws<ArgumentNullException>(() => Charts.Lines("t", "x", "y", null!));

        Assert.Equal("series", error.ParamName);
    }

    private static string ContainerId(string html)
    {
        Match container = Regex.Match(html, "<div id=\"([^\"]+)\" class=\"" + ChartHtml.ChartClass + "\">");
        Assert.True(container.Success, "no chart container in the output");
        return container.Groups[1].Value;
    }

    private static string FigureJson(string html)
    {
        Match figure = Regex.Match(html, @"var figure = (.*?);\s*var attempts", RegexOptions.Singleline);
        Assert.True(figure.Success, "no figure assignment in the chart script");
        return figure.Groups[1].Value;
    }
}
