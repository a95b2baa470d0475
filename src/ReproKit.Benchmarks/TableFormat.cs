using System.Globalization;

namespace ReproKit.Benchmarks;

/// <summary>Number formats shared by the report's tables.</summary>
internal static class TableFormat
{
    /// <summary>A rate such as images per second: two decimals below 10, else whole numbers with thousands separators.</summary>
    public static string Rate(double value) => value.ToString(value < 10 ? "N2" : "N0", CultureInfo.InvariantCulture);

    /// <summary>The median of the measurements, followed by their range when there is more than one: <c>812 (790-830)</c>.</summary>
    public static string Rate(SampleSummary summary) => summary.Values.Count == 1
        ? Rate(summary.Median)
        : $"{Rate(summary.Median)} ({Rate(summary.Min)}-{Rate(summary.Max)})";

    /// <summary>Seconds with two decimals, and the range when there is more than one measurement.</summary>
    public static string Seconds(SampleSummary summary) => summary.Values.Count == 1
        ? Seconds(summary.Median)
        : $"{Seconds(summary.Median)} ({Seconds(summary.Min)}-{Seconds(summary.Max)})";

    public static string Seconds(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>A ratio such as <c>0.87x</c>.</summary>
    public static string Ratio(double value) => value.ToString("F2", CultureInfo.InvariantCulture) + "x";

    /// <summary>A signed percentage such as <c>+2.1%</c>.</summary>
    public static string Percent(double value) => value.ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Mebibytes with one decimal.</summary>
    public static string Mebibytes(double value) => value.ToString("N1", CultureInfo.InvariantCulture);
}
