using System.Globalization;
using ReproKit.Reporting;

namespace ReproKit.Tests.Reporting;

public sealed class Table2ReportTests : IDisposable
{
    private const string Quick = "Fashion-MNIST (quick)";
    private const string Full = "Fashion-MNIST (full)";

    private readonly TemporaryDirectory folder = new();

    public void Dispose() => folder.Dispose();

    // Softmax ran on both datasets, LMCL only on the quick one, LMAL only on the full one.
    private static Table2 SampleTable() => Table2.FromResults(
        [Quick, Full],
        new Dictionary<(string Model, string Dataset), double>
        {
            [("Softmax", Quick)] = 88.5,
            [("Softmax", Full)] = 91.234,
            [("LMCL", Quick)] = 89.006,
            [("LMAL", Full)] = 92,
        });

    [Fact]
    public void FromResults_FillsRowsInModelOrder()
    {
        Table2 table = SampleTable();

        Assert.Equal(["Softmax", "LMCL", "LMAL"], Table2.Models);
        Assert.Equal([Quick, Full], table.Datasets);
        Assert.Equal([88.5, 91.234], table.Softmax);
        Assert.Equal([89.006, null], table.Lmcl);
        Assert.Equal([null, 92.0], table.Lmal);
    }

    [Fact]
    public void FromResults_RejectsUnknownModelOrDataset()
    {
        ArgumentException modelError = Assert.Throws<ArgumentException>(() => Table2.FromResults(
            [Quick], new Dictionary<(string Model, string Dataset), double> { [("ArcFace", Quick)] = 90 }));
        ArgumentException datasetError = Assert.Throws<ArgumentException>(() => Table2.FromResults(
            [Quick], new Dictionary<(string Model, string Dataset), double> { [("LMAL", "CIFAR-10")] = 90 }));

        Assert.Contains("'ArcFace'", modelError.Message);
        Assert.Contains("'CIFAR-10'", datasetError.Message);
    }

    [Fact]
    public void WriteCsv_WritesMeasuredThenPaperColumns()
    {
        string path = folder.Combine("table2.csv");

        Table2Report.WriteCsv(path, SampleTable());

        List<string[]> rows = CsvReader.Parse(File.ReadAllText(path));
        Assert.Equal(4, rows.Count);
        Assert.Equal(
            [
                "Model",
                "This run: Fashion-MNIST (quick) (%)",
                "This run: Fashion-MNIST (full) (%)",
                "Paper: VOC-2007 (%)",
                "Paper: VOC-2012 (%)",
                "Paper: Caltech-256 (%)",
            ],
            rows[0]);
        Assert.Equal(["Softmax", "88.50", "91.23", "75.27", "70.59", "77.07"], rows[1]);
        Assert.Equal(["LMCL", "89.01", "", "", "", ""], rows[2]);
        Assert.Equal(["LMAL", "", "92.00", "79.15", "72.48", "82.27"], rows[3]);
    }

    [Fact]
    public void WriteCsv_QuotesDatasetNamesWithCommas()
    {
        string path = folder.Combine("table2.csv");
        Table2 table = new(["CIFAR-10, 32x32"], [70.0], [null], [null]);

        Table2Report.WriteCsv(path, table);

        string header = File.ReadAllText(path).Split('\n')[0];
        Assert.Contains(",\"This run: CIFAR-10, 32x32 (%)\",", header);
        Assert.Equal("This run: CIFAR-10, 32x32 (%)", CsvReader.Parse(File.ReadAllText(path))[0][1]);
    }

    [Fact]
    public void WriteMarkdown_WritesCaptionAndTable()
    {
        string path = folder.Combine("table2.md");

        Table2Report.WriteMarkdown(path, SampleTable());

        string[] lines = File.ReadAllText(path).Split('\n');
        Assert.StartsWith("Table 2. Top-1 accuracy (%).", lines[0]);
        Assert.Contains("\"This run\" columns are measured by this run", lines[0]);
        Assert.Contains("224x224", lines[0]);
        Assert.Contains("ImageNet-pretrained VGG-16", lines[0]);
        Assert.Contains("not for direct comparison", lines[0]);
        Assert.Equal("", lines[1]);
        Assert.Equal(
            "| Model | This run: Fashion-MNIST (quick) (%) | This run: Fashion-MNIST (full) (%) | Paper: VOC-2007 (%) | Paper: VOC-2012 (%) | Paper: Caltech-256 (%) |",
            lines[2]);
        Assert.Equal("|:--|--:|--:|--:|--:|--:|", lines[3]);
        Assert.Equal("| Softmax | 88.50 | 91.23 | 75.27 | 70.59 | 77.07 |", lines[4]);
        Assert.Equal("| LMCL | 89.01 | not run | not reported | not reported | not reported |", lines[5]);
        Assert.Equal("| LMAL | not run | 92.00 | 79.15 | 72.48 | 82.27 |", lines[6]);
        Assert.Equal("", lines[7]);
        Assert.Equal(8, lines.Length);
    }

    [Fact]
    public void WriteMarkdown_EscapesPipes()
    {
        string path = folder.Combine("table2.md");

        Table2Report.WriteMarkdown(path, new Table2(["A|B"], [50.0], [50.0], [50.0]));

        Assert.Contains("| This run: A\\|B (%) |", File.ReadAllText(path));
    }

    [Fact]
    public void FormatText_AlignsColumns()
    {
        string text = Table2Report.FormatText(SampleTable());

        string[] lines = text.Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.Equal("", lines[5]);
        Assert.StartsWith("Model    This run: Fashion-MNIST (quick) (%)", lines[0]);
        Assert.Matches("^-+(  -+){5}$", lines[1]);
        Assert.StartsWith("Softmax  ", lines[2]);
        Assert.EndsWith("not reported", lines[3]);
        Assert.Contains("not run", lines[4]);

        // Right-aligned numbers end at the same character as their column's dashes.
        int firstRuleEnd = lines[1].IndexOf("  ", StringComparison.Ordinal);
        int quickColumnEnd = lines[1].IndexOf("  ", firstRuleEnd + 2, StringComparison.Ordinal);
        Assert.Equal("88.50", lines[2][(quickColumnEnd - 5)..quickColumnEnd]);
        Assert.Equal("89.01", lines[3][(quickColumnEnd - 5)..quickColumnEnd]);
        Assert.Equal("not run", lines[4][(quickColumnEnd - 7)..quickColumnEnd]);
        Assert.All(lines[..5], line => Assert.Equal(line, line.TrimEnd()));
    }

    [Fact]
    public void Reports_UseInvariantCulture()
    {
        CultureInfo original = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");

            string text = Table2Report.FormatText(SampleTable());

            Assert.Contains("88.50", text);
            Assert.DoesNotContain("88,50", text);
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }

    public static TheoryData<string, Table2, string> InvalidTables => new()
    {
        { "row too short", new Table2([Quick, Full], [1.0, 2.0], [1.0], [null, null]), "'LMCL' has 1 values but there are 2 datasets" },
        { "fraction instead of percent", new Table2([Quick], [0.5], [null], [150.0]), "'LMAL', dataset 'Fashion-MNIST (quick)' has accuracy 150" },
        { "NaN accuracy", new Table2([Quick], [double.NaN], [null], [null]), "'Softmax', dataset 'Fashion-MNIST (quick)' has accuracy NaN" },
        { "duplicate dataset", new Table2([Quick, Quick], [null, null], [null, null], [null, null]), "twice" },
        { "blank dataset", new Table2([" "], [null], [null], [null]), "blank dataset name" },
        { "multi-line dataset", new Table2(["a\nb"], [null], [null], [null]), "line break" },
    };

    [Theory]
    [MemberData(nameof(InvalidTables))]
    public void Writers_RejectInvalidTables(string description, Table2 table, string expectedMessagePart)
    {
        string csvPath = folder.Combine("table2.csv");
        string markdownPath = folder.Combine("table2.md");

        ArgumentException csvError = Assert.Throws<ArgumentException>(() => Table2Report.WriteCsv(csvPath, table));
        ArgumentException markdownError = Assert.Throws<ArgumentException>(() => Table2Report.WriteMarkdown(markdownPath, table));
        ArgumentException textError = Assert.Throws<ArgumentException>(() => Table2Report.FormatText(table));

        Assert.True(csvError.Message.Contains(expectedMessagePart, StringComparison.Ordinal), $"{description}: {csvError.Message}");
        Assert.Equal(csvError.Message, markdownError.Message);
        Assert.Equal(csvError.Message, textError.Message);
        Assert.False(File.Exists(csvPath));
        Assert.False(File.Exists(markdownPath));
    }

    [Fact]
    public void Writers_RejectDirectoryPath()
    {
        string directory = folder.Combine("out");
        Directory.CreateDirectory(directory);

        ArgumentException error = Assert.Throws<ArgumentException>(() => Table2Report.WriteMarkdown(directory, SampleTable()));

        Assert.Contains($"'{directory}' is an existing directory", error.Message);
    }

    [Fact]
    public void WriteMarkdown_CreatesFolderAndReplacesFile()
    {
        string path = folder.Combine("reports", "table2.md");

        Table2Report.WriteMarkdown(path, new Table2([Quick], [10.0], [null], [null]));
        Table2Report.WriteMarkdown(path, SampleTable());

        Assert.Contains("| Softmax | 88.50 | 91.23 |", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder.Combine("reports")));
    }
}
