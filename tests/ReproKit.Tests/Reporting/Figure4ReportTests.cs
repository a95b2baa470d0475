using System.Globalization;
using System.Text.RegularExpressions;
using ReproKit.Reporting;

namespace ReproKit.Tests.Reporting;

public sealed class Figure4ReportTests : IDisposable
{
    private const double CosineMargin = 0.35;
    private const double AngularMarginRadians = 0.5;

    // The name checks CSV quoting: it contains a comma and double quotes.
    private const string ArcFaceName = "LMAL (m = 0.5, \"ArcFace\")";

    private readonly TemporaryDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void WriteCsv_RoundTripsCurves()
    {
        IReadOnlyList<Curve> curves = MarginCurves(ThetaGrid(0, 180, 181));
        string path = folder.Combine("figure4.csv");

        Figure4Report.WriteCsv(path, curves);

        List<string[]> rows = CsvReader.Parse(File.ReadAllText(path));
        Assert.Equal(["theta_deg", "Softmax", "LMCL (m = 0.35)", ArcFaceName], rows[0]);
        Assert.Equal(182, rows.Count);
        for (int i = 1; i < rows.Count; i++)
        {
            Assert.Equal(4, rows[i].Length);
            double theta = double.Parse(rows[i][0], NumberStyles.Float, CultureInfo.InvariantCulture);
            double radians = theta * Math.PI / 180;

            Assert.Equal(curves[0].ThetaDegrees[i - 1], theta);
            Assert.Equal(Math.Cos(radians), Parse(rows[i][1]));
            Assert.Equal(Math.Cos(radians) - CosineMargin, Parse(rows[i][2]));
            Assert.Equal(Math.Cos(radians + AngularMarginRadians), Parse(rows[i][3]));
        }
    }

    [Fact]
    public void WriteCsv_UsesInvariantCulture()
    {
        CultureInfo original = CultureInfo.CurrentCulture;
        try
        {
            // German uses ',' as the decimal separator, which would split every number into two CSV fields.
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            string path = folder.Combine("figure4.csv");

            Figure4Report.WriteCsv(path, [new Curve("c", [0.5, 1.25], [-0.125, 1e-20])]);

            Assert.Equal("theta_deg,c\n0.5,-0.125\n1.25,1E-20\n", File.ReadAllText(path));
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }

    [Fact]
    public void WriteCsv_RejectsMismatchedGrids()
    {
        Curve first = new("Softmax", [0.0, 1.0, 2.0], [1.0, 0.9, 0.8]);
        Curve shifted = new("LMCL", [0.0, 1.5, 2.0], [0.6, 0.5, 0.4]);
        Curve shorter = new("LMAL", [0.0, 1.0], [0.8, 0.7]);

        ArgumentException shiftedError = Assert.Throws<ArgumentException>(
            () => Figure4Report.WriteCsv(folder.Combine("a.csv"), [first, shifted]));
        ArgumentException shorterError = Assert.Throws<ArgumentException>(
            () => Figure4Report.WriteCsv(folder.Combine("b.csv"), [first, shorter]));

        Assert.Contains("'LMCL'", shiftedError.Message);
        Assert.Contains("same theta grid", shiftedError.Message);
        Assert.Contains("'LMAL'", shorterError.Message);
        Assert.False(File.Exists(folder.Combine("a.csv")));
        Assert.False(File.Exists(folder.Combine("b.csv")));
    }

    [Fact]
    public void WriteHtml_AcceptsDifferentGrids()
    {
        string path = folder.Combine("figure4.html");

        Figure4Report.WriteHtml(
            path, [new Curve("coarse", [0.0, 90.0], [1.0, 0.0]), new Curve("fine", [0.0, 45.0, 90.0], [1.0, 0.7, 0.0])], "Grids");

        Assert.True(File.Exists(path));
    }

    public static TheoryData<string, Curve[], string> InvalidCurves => new()
    {
        { "empty list", [], "empty" },
        { "length mismatch", [new Curve("LMCL", [0.0, 1.0, 2.0], [1.0, 0.9])], "'LMCL' has 3 theta values but 2 logit values" },
        { "NaN logit", [new Curve("LMAL", [0.0, 1.0], [1.0, double.NaN])], "'LMAL' has a non-finite logit (NaN) at index 1" },
        { "infinite logit", [new Curve("LMAL", [0.0], [double.PositiveInfinity])], "'LMAL' has a non-finite logit" },
        { "infinite theta", [new Curve("Softmax", [double.NegativeInfinity], [1.0])], "'Softmax' has a non-finite theta" },
        { "no points", [new Curve("Softmax", [], [])], "'Softmax' has no points" },
        { "blank name", [new Curve(" ", [0.0], [1.0])], "blank name" },
        { "duplicate name", [new Curve("A", [0.0], [1.0]), new Curve("A", [0.0], [0.5])], "'A' appears more than once" },
        { "theta column name", [new Curve("theta_deg", [0.0], [1.0])], "angle column" },
    };

    [Theory]
    [MemberData(nameof(InvalidCurves))]
    public void WriteCsv_RejectsInvalidCurves(string description, Curve[] curves, string expectedMessagePart)
    {
        string path = folder.Combine("figure4.csv");

        ArgumentException error = Assert.Throws<ArgumentException>(() => Figure4Report.WriteCsv(path, curves));

        Assert.True(error.Message.Contains(expectedMessagePart, StringComparison.Ordinal), $"{description}: {error.Message}");
        Assert.False(File.Exists(path));
    }

    [Theory]
    [MemberData(nameof(InvalidCurves))]
    public void WriteHtml_RejectsInvalidCurves(string description, Curve[] curves, string expectedMessagePart)
    {
        string path = folder.Combine("figure4.html");

        ArgumentException error = Assert.Throws<ArgumentException>(() => Figure4Report.WriteHtml(path, curves, "Title"));

        Assert.True(error.Message.Contains(expectedMessagePart, StringComparison.Ordinal), $"{description}: {error.Message}");
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void WriteHtml_RejectsBlankTitle()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(
            () => Figure4Report.WriteHtml(folder.Combine("figure4.html"), MarginCurves(ThetaGrid(0, 90, 10)), "  "));

        Assert.Contains("title is blank", error.Message);
    }

    [Fact]
    public void WriteHtml_InlinesPlotlyJs()
    {
        string path = folder.Combine("figure4.html");

        Figure4Report.WriteHtml(path, MarginCurves(ThetaGrid(0, 180, 181)), "Target logit", "s = 64");

        string html = File.ReadAllText(path);
        int longestScript = Regex.Matches(html, "<script[^>]*>(.*?)</script>", RegexOptions.Singleline)
            .Max(match => match.Groups[1].Length);
        Assert.True(longestScript > 1_000_000, $"Longest inline script has {longestScript} characters; plotly.js has about 3.5 million.");
        Assert.Contains("plotly.js v2.28.0", html);
        Assert.DoesNotMatch(new Regex(@"<script[^>]*\bsrc\s*=", RegexOptions.IgnoreCase), html);

        // plotly.js itself mentions https://cdn.plot.ly/ as its topojson default for maps, so only the script URL is checked.
        Assert.DoesNotContain("cdn.plot.ly/plotly-", html);
    }

    [Fact]
    public void WriteHtml_ContainsLabelsAndData()
    {
        string path = folder.Combine("figure4.html");

        Figure4Report.WriteHtml(path, MarginCurves(ThetaGrid(0, 180, 181)), "Target logit", "s = 64");

        string html = File.ReadAllText(path);
        Assert.Contains("<title>Target logit</title>", html);
        Assert.Contains("s = 64", html);
        Assert.Contains("(degrees)", html);
        Assert.Contains("Target logit before scaling", html);
        Assert.Contains("\"name\":\"Softmax\"", html);
        Assert.Contains("\"name\":\"LMCL (m = 0.35)\"", html);
        Assert.Contains("\"showlegend\":true", html);
        Assert.Contains("\"dash\":\"dash\"", html);
    }

    [Fact]
    public void WriteHtml_EscapesMarkupInNames()
    {
        string path = folder.Combine("figure4.html");

        Figure4Report.WriteHtml(path, [new Curve("a</script><b>", [0.0, 1.0], [1.0, 0.5])], "x < y & z");

        string html = File.ReadAllText(path);
        Assert.DoesNotContain("a</script>", html);
        Assert.Contains("a&lt;/script&gt;&lt;b&gt;", html);
    }

    [Fact]
    public void Writers_CreateMissingFolder()
    {
        string csvPath = folder.Combine("new", "nested", "figure4.csv");
        string htmlPath = folder.Combine("other", "figure4.html");

        Figure4Report.WriteCsv(csvPath, MarginCurves(ThetaGrid(0, 90, 4)));
        Figure4Report.WriteHtml(htmlPath, MarginCurves(ThetaGrid(0, 90, 4)), "Title");

        Assert.True(File.Exists(csvPath));
        Assert.True(File.Exists(htmlPath));
    }

    [Fact]
    public void WriteCsv_ReplacesFileAndLeavesNoTemporaryFile()
    {
        string path = folder.Combine("figure4.csv");
        File.WriteAllText(path, "old contents that are longer than the new ones, to catch a missing truncation\n");

        Figure4Report.WriteCsv(path, [new Curve("c", [0.0], [1.0])]);

        Assert.Equal("theta_deg,c\n0,1\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder.FullPath));
    }

    [Fact]
    public void WriteCsv_KeepsOldFileWhenCurvesInvalid()
    {
        string path = folder.Combine("figure4.csv");
        File.WriteAllText(path, "previous run\n");

        Assert.Throws<ArgumentException>(() => Figure4Report.WriteCsv(path, [new Curve("c", [0.0], [double.NaN])]));

        Assert.Equal("previous run\n", File.ReadAllText(path));
    }

    [Fact]
    public void Writers_RejectDirectoryPath()
    {
        string directory = folder.Combine("existing");
        Directory.CreateDirectory(directory);
        IReadOnlyList<Curve> curves = MarginCurves(ThetaGrid(0, 90, 4));

        ArgumentException csvError = Assert.Throws<ArgumentException>(() => Figure4Report.WriteCsv(directory, curves));
        ArgumentException htmlError = Assert.Throws<ArgumentException>(() => Figure4Report.WriteHtml(directory, curves, "Title"));

        Assert.Contains(directory, csvError.Message);
        Assert.Contains("existing directory", csvError.Message);
        Assert.Contains(directory, htmlError.Message);
    }

    internal static double[] ThetaGrid(double minDegrees, double maxDegrees, int points) =>
        Enumerable.Range(0, points).Select(i => minDegrees + ((maxDegrees - minDegrees) * i / (points - 1))).ToArray();

    // Target logits of the three heads at margins m = 0.35 (LMCL) and m = 0.5 rad (LMAL).
    internal static IReadOnlyList<Curve> MarginCurves(double[] thetaDegrees)
    {
        double[] radians = thetaDegrees.Select(theta => theta * Math.PI / 180).ToArray();
        return
        [
            new Curve("Softmax", thetaDegrees, radians.Select(Math.Cos).ToArray()),
            new Curve("LMCL (m = 0.35)", thetaDegrees, radians.Select(r => Math.Cos(r) - CosineMargin).ToArray()),
            new Curve(ArcFaceName, thetaDegrees, radians.Select(r => Math.Cos(r + AngularMarginRadians)).ToArray()),
        ];
    }

    private static double Parse(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
