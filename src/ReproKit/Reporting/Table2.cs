namespace ReproKit.Reporting;

/// <summary>
/// Top-1 accuracies measured by this run, one row per head in the order Softmax, LMCL, LMAL,
/// one column per dataset in <see cref="Datasets"/>. <see cref="Table2Report"/> adds the published columns of
/// <see cref="PaperResults"/>.
/// </summary>
/// <param name="Datasets">Names of the datasets this run measured, for example "Fashion-MNIST (quick)".
/// Each must be non-blank, a single line and unique.</param>
/// <param name="Softmax">Top-1 accuracy in percent (0 to 100) of VGG-16 with the softmax head, one entry per dataset;
/// null where the model was not run.</param>
/// <param name="Lmcl">Same for the LMCL (additive cosine margin, CosFace) head.</param>
/// <param name="Lmal">Same for the LMAL (additive angular margin, ArcFace) head.</param>
public sealed record Table2(
    IReadOnlyList<string> Datasets,
    IReadOnlyList<double?> Softmax,
    IReadOnlyList<double?> Lmcl,
    IReadOnlyList<double?> Lmal)
{
    /// <summary>Row labels in table order: "Softmax", "LMCL", "LMAL".</summary>
    public static IReadOnlyList<string> Models { get; } = ["Softmax", "LMCL", "LMAL"];

    /// <summary>
    /// Builds a table from accuracies keyed by model name (one of <see cref="Models"/>) and dataset name.
    /// Pairs missing from <paramref name="top1AccuracyPercent"/> become null cells ("not run").
    /// </summary>
    /// <param name="datasets">Column order, for example ["Fashion-MNIST (quick)"].</param>
    /// <param name="top1AccuracyPercent">Top-1 accuracy in percent (0 to 100) per (model, dataset) pair.</param>
    /// <exception cref="ArgumentException">A key names a model outside <see cref="Models"/> or a dataset outside
    /// <paramref name="datasets"/>.</exception>
    public static Table2 FromResults(
        IReadOnlyList<string> datasets,
        IReadOnlyDictionary<(string Model, string Dataset), double> top1AccuracyPercent)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        ArgumentNullException.ThrowIfNull(top1AccuracyPercent);

        foreach ((string model, string dataset) in top1AccuracyPercent.Keys)
        {
            if (!Models.Contains(model, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"Result for model '{model}' has no Table 2 row. Use one of: {string.Join(", ", Models)}.",
                    nameof(top1AccuracyPercent));
            }

            if (!datasets.Contains(dataset, StringComparer.Ordinal))
            {
                throw new ArgumentException(
                    $"Result for dataset '{dataset}' has no column. Add it to datasets ({string.Join(", ", datasets)}).",
                    nameof(top1AccuracyPercent));
            }
        }

        double?[] RowFor(string model) =>
            datasets.Select(dataset => top1AccuracyPercent.TryGetValue((model, dataset), out double value) ? value : (double?)null)
                .ToArray();

        return new Table2(datasets.ToArray(), RowFor("Softmax"), RowFor("LMCL"), RowFor("LMAL"));
    }

    /// <summary>Returns the measured accuracies of <paramref name="model"/> (one of <see cref="Models"/>), one per dataset.</summary>
    /// <exception cref="ArgumentException"><paramref name="model"/> is not one of <see cref="Models"/>.</exception>
    public IReadOnlyList<double?> GetRow(string model) => model switch
    {
        "Softmax" => Softmax,
        "LMCL" => Lmcl,
        "LMAL" => Lmal,
        _ => throw new ArgumentException(
            $"Model '{model}' has no Table 2 row. Use one of: {string.Join(", ", Models)}.", nameof(model)),
    };
}
