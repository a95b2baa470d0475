using ReproKit.Reporting;

namespace ReproKit.Reproduction;

/// <summary>What <see cref="ReproductionRunner.Run"/> produced.</summary>
/// <param name="RunDirectory">The run folder.</param>
/// <param name="Heads">One result per head, in training order.</param>
/// <param name="Table">Table 2 as measured.</param>
/// <param name="Files">Every file written, relative to the run folder.</param>
public sealed record ReproductionResult(
    string RunDirectory,
    IReadOnlyList<HeadRunResult> Heads,
    Table2 Table,
    IReadOnlyList<string> Files);
