using System.Text.RegularExpressions;
using Microsoft.Data.Analysis;
using ReproKit.Notebooks;

namespace ReproKit.Tests.Notebooks;

public sealed class DataFrameHtmlTests
{
    private const string Dash = "–";
    private const string RightCell = "<td style=\"text-align:right\">";
    private const string LeftCell = "<td style=\"text-align:left\">";

    [Fact]
    public void Render_EncodesCellText()
    {
        var frame = new DataFrame(new StringDataFrameColumn("a<b", ["<b>&"]));

        string html = DataFrameHtml.Render(frame);

        Assert.Contains("<th>a&lt;b</th>", html);
        Assert.Contains(LeftCell + "&lt;b&gt;&amp;</td>", html);
        Assert.DoesNotContain("<b>", html);
        Assert.DoesNotContain("a<b", html);
    }

    [Fact]
    public void Render_RightAlignsNumbers()
    {
        var frame = new DataFrame(
            new StringDataFrameColumn("name", ["x"]),
            new DoubleDataFrameColumn("ratio", [3.14159265]),
            new Int64DataFrameColumn("count", [1234567L]));

        string html = DataFrameHtml.Render(frame);

        Assert.Contains(LeftCell + "x</td>", html);

        // Doubles keep up to four decimals and integers get thousands separators, in the invariant culture.
        Assert.Contains(RightCell + "3.1416</td>", html);
        Assert.Contains(RightCell + "1,234,567</td>", html);
    }

    [Fact]
    public void Render_ShowsMissingValuesAsDash()
    {
        var frame = new DataFrame(
            new DoubleDataFrameColumn("value", new double?[] { double.NaN, null, 2.5 }),
            new StringDataFrameColumn("label", new string?[] { null, "b", "c" }));

        string html = DataFrameHtml.Render(frame);

        var cells = Regex.Matches(html, "<td[^>]*>(.*?)</td>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal([Dash, Dash, Dash, "b", "2.5", "c"], cells);
        Assert.DoesNotContain("NaN", html);
    }

    [Fact]
    public void Render_ShowsSingleNaNAsDash()
    {
        var frame = new DataFrame(new SingleDataFrameColumn("value", [float.NaN]));

        string html = DataFrameHtml.Render(frame);

        Assert.DoesNotContain("NaN", html);
        Assert.Contains(Dash + "</td>", html);
    }

    [Fact]
    public void Render_CapsRowsAtMaxRows()
    {
        const int extra = 5;
        var frame = new DataFrame(new Int32DataFrameColumn("index", Enumerable.Range(0, DataFrameHtml.MaxRows + extra)));

        string html = DataFrameHtml.Render(frame);

        string body = html[html.IndexOf("<tbody>", StringComparison.Ordinal)..];
        Assert.Equal(DataFrameHtml.MaxRows, Regex.Matches(body, "<tr>").Count);
        Assert.Contains($">{DataFrameHtml.MaxRows - 1}</td>", html);
        Assert.DoesNotContain($">{DataFrameHtml.MaxRows}</td>", html);
        Assert.Contains($"<p>{extra} more rows not shown.</p>", html);
    }

    [Fact]
    public void Render_NoNoteWhenAllRowsShown()
    {
        var frame = new DataFrame(new Int32DataFrameColumn("index", Enumerable.Range(0, DataFrameHtml.MaxRows)));

        string html = DataFrameHtml.Render(frame);

        Assert.Equal(DataFrameHtml.MaxRows + 1, Regex.Matches(html, "<tr>").Count);
        Assert.DoesNotContain("more rows", html);
    }
}
