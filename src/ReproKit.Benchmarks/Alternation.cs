namespace ReproKit.Benchmarks;

/// <summary>
/// Runs competing measurements in turn. Load from other processes drifts over minutes, so the sides are
/// measured one after the other, swapping which goes first on every repeat, to expose them to the same
/// load. Only ratios between series from one such call are meaningful.
/// </summary>
internal static class Alternation
{
    /// <summary>
    /// Calls every measurement once per repeat: in the given order on even repeats, in reverse order on
    /// odd ones. Returns one series per measurement, in the order the measurements were given.
    /// </summary>
    /// <param name="repeats">Calls per measurement, at least 1.</param>
    /// <param name="measurements">Functions that take the zero-based repeat and return one measured value.</param>
    public static IReadOnlyList<SampleSummary> Run(int repeats, params Func<int, double>[] measurements)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeats);
        var series = measurements.Select(_ => new List<double>()).ToArray();
        for (int repeat = 0; repeat < repeats; repeat++)
        {
            var order = Enumerable.Range(0, measurements.Length);
            if (repeat % 2 == 1)
            {
                order = order.Reverse();
            }

            foreach (int index in order)
            {
                series[index].Add(measurements[index](repeat));
            }
        }

        return [.. series.Select(values => new SampleSummary(values))];
    }
}
