using System.Globalization;
using System.Text;
using ReproKit.Heads;
using ReproKit.Training;

namespace ReproKit.Benchmarks;

/// <summary>
/// Training-step throughput of the kit against the same network, head and step in PyTorch. The networks are
/// the compact VGG-16 at widths 0.25, 0.5 and 1 on 32x32 RGB (batch 128) and the 224x224 VGG-16 (batch 8),
/// each with the softmax, LMCL and LMAL heads.
/// </summary>
internal static class TrainingSuite
{
    public const string Title = "Training-step throughput";

    public const double MaxMarginOverheadPercent = 3.0;

    private const int CalibrationSteps = 2;
    private const int MinTimedSteps = 3;
    private const int MaxTimedSteps = 2000;

    private static readonly double[] Widths = [0.25, 0.5, 1.0];

    private static readonly HeadSpec[] Heads =
    [
        HeadSpec.Softmax(),
        HeadSpec.Lmcl(scale: 16, cosineMargin: 0.35),
        HeadSpec.Lmal(scale: 16, marginRadians: 0.5),
    ];

    /// <summary>One configuration's measurements on both sides.</summary>
    private sealed record Row(TrainingConfiguration Configuration, int WarmupSteps, int TimedSteps, SampleSummary Kit, SampleSummary Pytorch)
    {
        public double Ratio => Kit.Median / Pytorch.Median;

        /// <summary>The other memory layout on each side, measured for the softmax head only.</summary>
        public (SampleSummary KitChannelsFirst, SampleSummary PytorchChannelsLast)? OtherLayouts { get; init; }
    }

    public static SuiteResult Run(BenchmarkSession session)
    {
        var options = session.Options;
        var rows = new List<Row>();

        foreach (double width in Widths)
        {
            foreach (HeadSpec head in Heads)
            {
                var configuration = TrainingConfiguration.Compact(width, head);
                int timedSteps = CalibrateTimedSteps(configuration, options);
                rows.Add(MeasureWithLayouts(session, configuration, options.CompactWarmupSteps, timedSteps));
            }
        }

        if (options.SkipVgg224)
        {
            ProgressLog.Info("training: the 224x224 VGG-16 is skipped (--skip-vgg224)");
        }
        else
        {
            foreach (HeadSpec head in Heads)
            {
                rows.Add(MeasureWithLayouts(session, TrainingConfiguration.Vgg224(head), options.Vgg224WarmupSteps, options.Vgg224TimedSteps));
            }
        }

        return BuildResult(rows, MeasureHeadCosts(rows, options), options);
    }

    /// <summary>One network's heads timed alone, alternating, in milliseconds per step.</summary>
    private sealed record HeadCostRow(string Network, Row Softmax, IReadOnlyList<(HeadSpec Head, SampleSummary Milliseconds)> Heads)
    {
        /// <summary>A margin head's extra time over the softmax head, as a share of the whole softmax step, in percent.</summary>
        public double OverheadPercent(int index) =>
            (Heads[index].Milliseconds.Median - Heads[0].Milliseconds.Median) / StepMilliseconds * 100;

        public double StepMilliseconds => Softmax.Configuration.BatchSize / Softmax.Kit.Median * 1000;
    }

    private static List<HeadCostRow> MeasureHeadCosts(IReadOnlyList<Row> rows, BenchmarkOptions options)
    {
        var result = new List<HeadCostRow>();
        foreach (Row softmax in rows.Where(r => r.Configuration.Head.Kind == HeadKind.Softmax))
        {
            var c = softmax.Configuration;
            long embeddingSize = c.Network == TrainingNetwork.Compact ? TrainingConfiguration.CompactEmbeddingSize : 4096;
            double seconds = HeadSeconds(options);
            var series = Alternation.Run(
                options.Repeats,
                [.. Heads.Select(head => (Func<int, double>)(_ => HeadCost.MillisecondsPerStep(head, embeddingSize, c.Classes, c.BatchSize, seconds)))]);
            var heads = Heads.Zip(series, (head, summary) => (head, summary)).ToList();
            ProgressLog.Info(string.Create(CultureInfo.InvariantCulture, $"training: {c.NetworkName}: heads alone {string.Join(", ", heads.Select(h => $"{h.head.DisplayName} {h.summary.Median:F3} ms"))} a step"));
            result.Add(new HeadCostRow(c.NetworkName, softmax, heads));
        }

        return result;
    }

    /// <summary>
    /// Times a few kit steps and returns the step count that makes one measurement last about
    /// <see cref="BenchmarkOptions.CompactMeasurementSeconds"/>. Both sides then time that many steps.
    /// </summary>
    private static int CalibrateTimedSteps(TrainingConfiguration configuration, BenchmarkOptions options)
    {
        double imagesPerSecond = KitTrainingStep.MeasureImagesPerSecond(configuration, options.CompactWarmupSteps, CalibrationSteps);
        double secondsPerStep = configuration.BatchSize / imagesPerSecond;
        int steps = (int)Math.Clamp(Math.Ceiling(options.CompactMeasurementSeconds / secondsPerStep), MinTimedSteps, MaxTimedSteps);
        ProgressLog.Info(string.Create(CultureInfo.InvariantCulture, $"training: {configuration.NetworkName}, {configuration.Head.DisplayName}: {secondsPerStep * 1000:F0} ms a step, so {steps} timed steps a measurement"));
        return steps;
    }

    private static Row Measure(BenchmarkSession session, TrainingConfiguration configuration, int warmupSteps, int timedSteps)
    {
        var options = session.Options;
        string name = $"{configuration.NetworkName}, {configuration.Head.DisplayName}";
        var series = Alternation.Run(
            options.Repeats,
            repeat => Logged(name, "kit", repeat, options.Repeats, () => KitTrainingStep.MeasureImagesPerSecond(configuration, warmupSteps, timedSteps)),
            repeat => Logged(name, "PyTorch", repeat, options.Repeats, () => session.Peer.MeasureTraining(configuration, warmupSteps, timedSteps, BenchmarkSession.PeerTimeout)));
        var row = new Row(configuration, warmupSteps, timedSteps, series[0], series[1]);
        ProgressLog.Info($"training: {name}: kit {TableFormat.Rate(row.Kit.Median)}, PyTorch {TableFormat.Rate(row.Pytorch.Median)} images/s (medians), ratio {TableFormat.Ratio(row.Ratio)}");
        return row;
    }

    /// <summary>
    /// Measures the configuration. For the softmax head it also measures the kit channels first and PyTorch
    /// channels last, so that the page shows how much of the difference comes from the memory layout.
    /// </summary>
    private static Row MeasureWithLayouts(BenchmarkSession session, TrainingConfiguration configuration, int warmupSteps, int timedSteps)
    {
        Row row = Measure(session, configuration, warmupSteps, timedSteps);
        if (configuration.Head.Kind != HeadKind.Softmax)
        {
            return row;
        }

        var options = session.Options;
        string name = $"{configuration.NetworkName}, {configuration.Head.DisplayName}";
        var series = Alternation.Run(
            options.Repeats,
            repeat => Logged(name, "kit channels-first", repeat, options.Repeats, () => KitTrainingStep.MeasureImagesPerSecond(configuration, warmupSteps, timedSteps, MemoryLayout.ChannelsFirst)),
            repeat => Logged(name, "PyTorch channels_last", repeat, options.Repeats, () => session.Peer.MeasureTraining(configuration, warmupSteps, timedSteps, BenchmarkSession.PeerTimeout, channelsLast: true)));
        return row with { OtherLayouts = (series[0], series[1]) };
    }

    private static double Logged(string name, string side, int repeat, int repeats, Func<double> measure)
    {
        double imagesPerSecond = measure();
        ProgressLog.Info($"training: {name}: {side} {TableFormat.Rate(imagesPerSecond)} images/s (repeat {repeat + 1} of {repeats})");
        return imagesPerSecond;
    }

    private static SuiteResult BuildResult(IReadOnlyList<Row> rows, IReadOnlyList<HeadCostRow> headCosts, BenchmarkOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"""
            Images per second of whole SGD steps (zero_grad, forward with labels, cross-entropy, backward, step with
            momentum 0.9 and weight decay 5e-4, then reading back the loss and the number of correct predictions) on one
            random batch generated before timing. The kit runs its own `Trainer`; PyTorch runs the same networks, heads
            and step, written from the kit's source, in `pytorch_peer.py`. Each cell is the median of {options.Repeats}
            measurement(s), the range in brackets; the sides alternate, swapping which goes first on every repeat.
            Compact networks: {options.CompactWarmupSteps} warm-up steps, then the step count calibrated on the kit to
            about {options.CompactMeasurementSeconds:0.#} s. VGG-16 at 224x224: {options.Vgg224WarmupSteps} warm-up step(s),
            then {options.Vgg224TimedSteps} timed. Heads: LMCL s=16, m=0.35; LMAL s=16, m=0.5 rad. The compact network
            scores 10 classes, VGG-16 257.

            | network | head | batch | timed steps | kit images/s | PyTorch images/s | kit / PyTorch |
            |---|---|---:|---:|---:|---:|---:|
            """);
        foreach (Row row in rows)
        {
            var c = row.Configuration;
            text.AppendLine(CultureInfo.InvariantCulture, $"| {c.NetworkName} | {c.Head.DisplayName} | {c.BatchSize} | {row.TimedSteps} | {TableFormat.Rate(row.Kit)} | {TableFormat.Rate(row.Pytorch)} | {TableFormat.Ratio(row.Ratio)} |");
        }

        AppendLayouts(text, rows);

        var overheads = MarginOverheads(rows);
        text.AppendLine();
        text.AppendLine("""
            Margin-head overhead: the extra time per image of LMCL and LMAL over softmax on the same network,
            `softmax images/s / head images/s - 1`, from the medians above.

            | network | head | kit overhead | PyTorch overhead |
            |---|---|---:|---:|
            """);
        foreach (var (network, head, kit, pytorch) in overheads)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {network} | {head} | {TableFormat.Percent(kit)} | {TableFormat.Percent(pytorch)} |");
        }

        AppendHeadCosts(text, headCosts, HeadSeconds(options));

        return new SuiteResult(Title, text.ToString(), [SpeedTarget(rows), OverheadTarget(rows, overheads, headCosts)]);
    }

    private static void AppendLayouts(StringBuilder text, IReadOnlyList<Row> rows)
    {
        var measured = rows.Where(r => r.OtherLayouts is not null).ToList();
        if (measured.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine("""
            Memory layout, softmax head: on the CPU the kit's trainer stores batches and convolution weights channels
            last (`MemoryLayout.Auto`), which lets libtorch's oneDNN convolutions skip reordering; PyTorch's default is
            channels first. The kit's channels-first column and PyTorch's `channels_last` column (model and batch
            converted with `memory_format=torch.channels_last` before timing; the kit rearranges every batch inside the
            timed step) are measured right after the row above, alternating with each other.

            | network | kit, channels first | kit, default (channels last) | PyTorch, default | PyTorch, channels_last | kit / PyTorch, both channels last |
            |---|---:|---:|---:|---:|---:|
            """);
        foreach (Row row in measured)
        {
            var (kitFirst, pytorchLast) = row.OtherLayouts!.Value;
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Configuration.NetworkName} | {TableFormat.Rate(kitFirst)} | {TableFormat.Rate(row.Kit)} | {TableFormat.Rate(row.Pytorch)} | {TableFormat.Rate(pytorchLast)} | {TableFormat.Ratio(row.Kit.Median / pytorchLast.Median)} |");
        }
    }

    private static double HeadSeconds(BenchmarkOptions options) => options.Quick ? 0.5 : 2.0;

    private static void AppendHeadCosts(StringBuilder text, IReadOnlyList<HeadCostRow> headCosts, double seconds)
    {
        if (headCosts.Count == 0)
        {
            return;
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"""
            The heads alone, in the kit: milliseconds per step of forward with labels, cross-entropy and backward. Each
            step runs on a random embedding batch of the network's size (128 features for the compact network, 4,096 for
            VGG-16). Each head is timed for about {seconds:0.#} s per measurement, alternating with the others. "Share of the step" is a margin head's extra time over
            the softmax head divided by the kit's whole softmax step from the first table: the cost the margin adds to
            training, free of the whole-step measurements' run-to-run spread.

            | network | softmax head ms | LMCL head ms | LMAL head ms | whole softmax step ms | LMCL share of the step | LMAL share of the step |
            |---|---:|---:|---:|---:|---:|---:|
            """);
        foreach (HeadCostRow row in headCosts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Network} | {row.Heads[0].Milliseconds.Median:F3} | {row.Heads[1].Milliseconds.Median:F3} | {row.Heads[2].Milliseconds.Median:F3} | {row.StepMilliseconds:F1} | {TableFormat.Percent(row.OverheadPercent(1))} | {TableFormat.Percent(row.OverheadPercent(2))} |");
        }
    }

    private static List<(string Network, string Head, double KitPercent, double PytorchPercent)> MarginOverheads(IReadOnlyList<Row> rows)
    {
        var result = new List<(string, string, double, double)>();
        foreach (var network in rows.GroupBy(r => r.Configuration.NetworkName))
        {
            Row? softmax = network.FirstOrDefault(r => r.Configuration.Head.Kind == HeadKind.Softmax);
            if (softmax is null)
            {
                continue;
            }

            foreach (Row row in network.Where(r => r.Configuration.Head.Kind != HeadKind.Softmax))
            {
                double kit = ((softmax.Kit.Median / row.Kit.Median) - 1) * 100;
                double pytorch = ((softmax.Pytorch.Median / row.Pytorch.Median) - 1) * 100;
                result.Add((network.Key, row.Configuration.Head.DisplayName, kit, pytorch));
            }
        }

        return result;
    }

    private static TargetResult SpeedTarget(IReadOnlyList<Row> rows)
    {
        Row worst = rows.MinBy(r => r.Ratio)!;
        bool met = worst.Ratio >= 1.0;
        string where = $"{worst.Configuration.NetworkName}, {worst.Configuration.Head.DisplayName}";
        string margin = met
            ? $"met; the lowest ratio is {(worst.Ratio - 1) * 100:F1}% above 1.0"
            : $"missed by {(1 - worst.Ratio) * 100:F1}% at {where}; {rows.Count(r => r.Ratio < 1.0)} of {rows.Count} configurations are below 1.0x";
        return new TargetResult(
            "Training step >= 1.0x PyTorch at every width and head",
            $"lowest {TableFormat.Ratio(worst.Ratio)} ({where}); highest {TableFormat.Ratio(rows.Max(r => r.Ratio))}",
            met,
            margin);
    }

    private static TargetResult OverheadTarget(IReadOnlyList<Row> rows, IReadOnlyList<(string Network, string Head, double KitPercent, double PytorchPercent)> overheads, IReadOnlyList<HeadCostRow> headCosts)
    {
        const string Target = "Margin head (LMCL, LMAL) < 3% slower than softmax in the kit (head timed alone, as a share of the whole step)";
        if (headCosts.Count == 0 || overheads.Count == 0)
        {
            return new TargetResult(Target, "not measured", false, "not measured: no network was measured with softmax and a margin head");
        }

        var worst = headCosts
            .SelectMany(row => new[] { 1, 2 }.Select(index => (row.Network, Head: row.Heads[index].Head.DisplayName, Percent: row.OverheadPercent(index))))
            .MaxBy(o => o.Percent);
        var worstWhole = overheads.MaxBy(o => o.KitPercent);
        bool met = worst.Percent < MaxMarginOverheadPercent;
        Row wholeSoftmax = rows.First(r => r.Configuration.NetworkName == worstWhole.Network && r.Configuration.Head.Kind == HeadKind.Softmax);
        Row wholeHead = rows.First(r => r.Configuration.NetworkName == worstWhole.Network && r.Configuration.Head.DisplayName == worstWhole.Head);
        bool rangesOverlap = wholeHead.Kit.Max >= wholeSoftmax.Kit.Min;
        string whole = $"the largest whole-step overhead is {TableFormat.Percent(worstWhole.KitPercent)} ({worstWhole.Network}, {worstWhole.Head}; PyTorch {TableFormat.Percent(worstWhole.PytorchPercent)}), "
            + (rangesOverlap ? "and the two ranges overlap" : "and the two ranges do not overlap");
        string margin = met
            ? $"met; the largest share is {MaxMarginOverheadPercent - worst.Percent:F1} points below 3%; {whole}"
            : $"missed by {worst.Percent - MaxMarginOverheadPercent:F1} points at {worst.Network}, {worst.Head}; {whole}";
        return new TargetResult(Target, $"largest {TableFormat.Percent(worst.Percent)} ({worst.Network}, {worst.Head})", met, margin);
    }
}
