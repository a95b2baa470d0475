namespace ReproKit.Reporting;

/// <summary>CSV field quoting as RFC 4180 describes it.</summary>
internal static class CsvText
{
    /// <summary>
    /// Returns <paramref name="field"/> unchanged, or wrapped in double quotes with inner quotes doubled
    /// when it contains a comma, a quote, a line break, or leading or trailing spaces.
    /// </summary>
    public static string Escape(string field)
    {
        bool needsQuotes = field.AsSpan().IndexOfAny(",\"\r\n") >= 0
            || (field.Length > 0 && (char.IsWhiteSpace(field[0]) || char.IsWhiteSpace(field[^1])));
        return needsQuotes ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }
}
