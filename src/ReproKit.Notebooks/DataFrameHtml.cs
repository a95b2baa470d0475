using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Analysis;

namespace ReproKit.Notebooks;

/// <summary>Renders a Microsoft.Data.Analysis <see cref="DataFrame"/> as an HTML table.</summary>
public static class DataFrameHtml
{
    /// <summary>Maximum number of rows written. A last line states how many were left out.</summary>
    public const int MaxRows = 200;

    /// <summary>The table's markup. Numbers are right-aligned; doubles keep up to four decimals; missing values show as a dash.</summary>
    public static string Render(DataFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var html = new StringBuilder("<table class=\"reprokit-table\"><thead><tr>");
        foreach (var column in frame.Columns)
        {
            html.Append("<th>").Append(WebUtility.HtmlEncode(column.Name)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        long shown = Math.Min(frame.Rows.Count, MaxRows);
        for (long row = 0; row < shown; row++)
        {
            html.Append("<tr>");
            foreach (var column in frame.Columns)
            {
                object? value = column[row];
                bool numeric = value is double or float or int or long or decimal;
                html.Append(numeric ? "<td style=\"text-align:right\">" : "<td style=\"text-align:left\">")
                    .Append(WebUtility.HtmlEncode(FormatCell(value))).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
        if (frame.Rows.Count > shown)
        {
            html.Append("<p>").Append(frame.Rows.Count - shown).Append(" more rows not shown.</p>");
        }

        return html.ToString();
    }

    internal static string FormatCell(object? value) => value switch
    {
        null => "–",
        double d when double.IsNaN(d) => "–",
        float f when float.IsNaN(f) => "–",
        double d => d.ToString("#,0.####", CultureInfo.InvariantCulture),
        float f => f.ToString("#,0.####", CultureInfo.InvariantCulture),
        int or long => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
