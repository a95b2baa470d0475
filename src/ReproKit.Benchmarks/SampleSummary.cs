namespace ReproKit.Benchmarks;

/// <summary>The median and range of repeated measurements of one quantity.</summary>
/// <param name="Values">The measurements in the order they were taken.</param>
internal sealed record SampleSummary(IReadOnlyList<double> Values)
{
    public double Median
    {
        get
        {
            if (Values.Count == 0)
            {
                throw new InvalidOperationException("The median of no measurements is undefined; run at least one repeat.");
            }

            double[] sorted = [.. Values.Order()];
            int middle = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    public double Min => Values.Min();

    public double Max => Values.Max();
}
