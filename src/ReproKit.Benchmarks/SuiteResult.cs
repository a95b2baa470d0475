namespace ReproKit.Benchmarks;

/// <summary>A target from the benchmark plan and how this run measured against it.</summary>
/// <param name="Target">The target in words, for example <c>training step >= 1.0x PyTorch at every width and head</c>.</param>
/// <param name="Measured">The deciding measurement, for example the worst ratio and where it occurred.</param>
/// <param name="Met">Whether the measurement meets the target.</param>
/// <param name="Margin">By how much the target is met or missed, in words.</param>
internal sealed record TargetResult(string Target, string Measured, bool Met, string Margin);

/// <summary>One suite's section of the report and its targets.</summary>
/// <param name="Title">Section heading.</param>
/// <param name="Markdown">Section body: what was measured, how, and the tables.</param>
/// <param name="Targets">The targets this suite decides.</param>
internal sealed record SuiteResult(string Title, string Markdown, IReadOnlyList<TargetResult> Targets);
