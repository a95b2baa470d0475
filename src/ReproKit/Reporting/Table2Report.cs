using System.Globalization;
using System.Text;

namespace ReproKit.Reporting;

/// <summary>
/// Writes Table 2: this run's top-1 accuracies next to the accuracies that Cao, Gu and Huang published for other
/// datasets (see <see cref="PaperResults"/>).
/// Accuracies are percentages with two decimals in the invariant culture.
/// </summary>
public static class Table2Report
{
    /// <summary>Cell text for a model that this run did not train (Markdown and plain text; empty in CSV).</summary>
    public const string NotRunText = "not run";

    /// <summary>Cell text for a published ("Paper") column of a model without a published value, which is LMCL
    /// (Markdown and plain text; empty in CSV).</summary>
    public const string NotReportedText = "not reported";

    /// <summary>One-line caption above the Markdown table.</summary>
    public const string Caption =
        "Table 2. Top-1 accuracy (%). The \"This run\" columns are measured by this run. The \"Paper\" columns are the numbers "
        + "published by " + PaperResults.Source + ", measured on other datasets at 224x224 input with ImageNet-pretrained VGG-16, "
        + "so they are for reference, not for direct comparison.";

    /// <summary>
    /// Writes <paramref name="table"/> as CSV: a <c>Model</c> column, one "This run: {dataset} (%)" column per measured dataset,
    /// then "Paper: {dataset} (%)" columns. Cells of models not run and LMCL's "Paper" cells are empty.
    /// Lines end with "\n". An existing file is replaced atomically.
    /// </summary>
    /// <param name="path">Output file, for example "out/table2.csv". Its folder is created if missing.</param>
    /// <param name="table">Measured accuracies.</param>
    /// <exception cref="ArgumentException">The table is invalid or <paramref name="path"/> is a directory.</exception>
    public static void WriteCsv(string path, Table2 table)
    {
        List<string[]> rows = BuildRows(table, notRun: "", notReported: "");
        var csv = new StringBuilder();
        foreach (string[] row in rows)
        {
            csv.AppendJoin(',', row.Select(CsvText.Escape)).Append('\n');
        }

        AtomicFile.WriteAllText(path, csv.ToString());
    }

    /// <summary>
    /// Writes <paramref name="table"/> as Markdown: the <see cref="Caption"/> line, a blank line, then a table with
    /// right-aligned accuracy columns. Empty cells read <see cref="NotRunText"/> or <see cref="NotReportedText"/>.
    /// An existing file is replaced atomically.
    /// </summary>
    /// <param name="path">Output file, for example "out/table2.md". Its folder is created if missing.</param>
    /// <param name="table">Measured accuracies.</param>
    /// <exception cref="ArgumentException">The table is invalid or <paramref name="path"/> is a directory.</exception>
    public static void WriteMarkdown(string path, Table2 table)
    {
        List<string[]> rows = BuildRows(table, NotRunText, NotReportedText);
        var markdown = new StringBuilder();
        markdown.Append(Caption).Append("\n\n");
        AppendMarkdownRow(markdown, rows[0]);

        markdown.Append("|:--");
        for (int column = 1; column < rows[0].Length; column++)
        {
            markdown.Append("|--:");
        }

        markdown.Append("|\n");
        foreach (string[] row in rows.Skip(1))
        {
            AppendMarkdownRow(markdown, row);
        }

        AtomicFile.WriteAllText(path, markdown.ToString());
    }

    /// <summary>
    /// Formats <paramref name="table"/> as a plain-text table for a console: a header line, a dashed rule and one line
    /// per model, columns separated by two spaces and padded so that they line up in a monospaced font.
    /// Lines end with "\n", the last one included.
    /// </summary>
    /// <exception cref="ArgumentException">The table is invalid.</exception>
    public static string FormatText(Table2 table)
    {
        List<string[]> rows = BuildRows(table, NotRunText, NotReportedText);
        int[] widths = Enumerable.Range(0, rows[0].Length).Select(column => rows.Max(row => row[column].Length)).ToArray();

        var text = new StringBuilder();
        for (int rowIndex = 0; rowIndex < rows.Count; rowIndex++)
        {
            string[] row = rows[rowIndex];
            var cells = new string[row.Length];
            for (int column = 0; column < row.Length; column++)
            {
                // Model names align left. Numbers align right, so their decimal points line up.
                cells[column] = column == 0 ? row[column].PadRight(widths[column]) : row[column].PadLeft(widths[column]);
            }

            text.Append(string.Join("  ", cells).TrimEnd()).Append('\n');
            if (rowIndex == 0)
            {
                text.Append(string.Join("  ", widths.Select(width => new string('-', width)))).Append('\n');
            }
        }

        return text.ToString();
    }

    // Returns the header row followed by the Softmax, LMCL and LMAL rows, every cell already formatted.
    private static List<string[]> BuildRows(Table2 table, string notRun, string notReported)
    {
        Validate(table);

        var header = new List<string> { "Model" };
        header.AddRange(table.Datasets.Select(dataset => $"This run: {dataset} (%)"));
        header.AddRange(PaperResults.Datasets.Select(dataset => $"Paper: {dataset} (%)"));
        var rows = new List<string[]> { header.ToArray() };

        foreach (string model in Table2.Models)
        {
            var row = new List<string> { model };
            row.AddRange(table.GetRow(model).Select(value => value is null ? notRun : FormatPercent(value.Value)));
            foreach (string dataset in PaperResults.Datasets)
            {
                row.Add(PaperResults.TryGetTop1AccuracyPercent(model, dataset, out double published)
                    ? FormatPercent(published)
                    : notReported);
            }

            rows.Add(row.ToArray());
        }

        return rows;
    }

    private static void AppendMarkdownRow(StringBuilder markdown, string[] cells)
    {
        foreach (string cell in cells)
        {
            // A bare '|' would end the cell early.
            markdown.Append("| ").Append(cell.Replace("|", "\\|", StringComparison.Ordinal)).Append(' ');
        }

        markdown.Append("|\n");
    }

    private static string FormatPercent(double percent) => percent.ToString("F2", CultureInfo.InvariantCulture);

    private static void Validate(Table2 table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Datasets is null)
        {
            throw new ArgumentException("Table 2 has a null Datasets list. Pass the names of the datasets this run measured.", nameof(table));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string dataset in table.Datasets)
        {
            if (string.IsNullOrWhiteSpace(dataset))
            {
                throw new ArgumentException("Table 2 has a blank dataset name. Name every measured dataset.", nameof(table));
            }

            if (dataset.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                throw new ArgumentException(
                    $"Table 2 dataset name '{dataset}' contains a line break, which would break the Markdown and text tables. Use a single-line name.",
                    nameof(table));
            }

            if (!seen.Add(dataset))
            {
                throw new ArgumentException($"Table 2 lists dataset '{dataset}' twice. Give each column a unique name.", nameof(table));
            }
        }

        foreach (string model in Table2.Models)
        {
            ValidateRow(table, model);
        }
    }

    private static void ValidateRow(Table2 table, string model)
    {
        IReadOnlyList<double?>? row = table.GetRow(model);
        if (row is null)
        {
            throw new ArgumentException($"Table 2 row '{model}' is null. Pass a list with one entry (or null) per dataset.", nameof(table));
        }

        if (row.Count != table.Datasets.Count)
        {
            throw new ArgumentException(
                $"Table 2 row '{model}' has {row.Count} values but there are {table.Datasets.Count} datasets. Pass one entry (or null) per dataset.",
                nameof(table));
        }

        for (int column = 0; column < row.Count; column++)
        {
            if (row[column] is double percent && !(percent >= 0 && percent <= 100))
            {
                throw new ArgumentException(
                    $"Table 2 row '{model}', dataset '{table.Datasets[column]}' has accuracy {percent.ToString(CultureInfo.InvariantCulture)}, "
                    + "outside 0 to 100. Pass a top-1 accuracy in percent, not a fraction of 1 or a count.",
                    nameof(table));
            }
        }
    }
}
