namespace ReproKit.Reporting;

/// <summary>
/// Top-1 accuracies (%) published in Table 2 of Cao, Gu and Huang, "Research on image recognition method
/// based on LMAL and VGG-16": VGG-16 pretrained on ImageNet, fine-tuned at 224x224 input. That table
/// has rows for the softmax and LMAL (additive angular margin) heads only, and no LMCL row.
/// </summary>
public static class PaperResults
{
    /// <summary>Short reference to the source of these numbers, for report captions.</summary>
    public const string Source = "Cao, Gu and Huang, \"Research on image recognition method based on LMAL and VGG-16\", Table 2";

    /// <summary>Datasets of the published Table 2, in column order.</summary>
    public static IReadOnlyList<string> Datasets { get; } = ["VOC-2007", "VOC-2012", "Caltech-256"];

    /// <summary>Models with published values, in table row order: "Softmax" and "LMAL".</summary>
    public static IReadOnlyList<string> Models { get; } = ["Softmax", "LMAL"];

    // Top-1 accuracy in percent, one value per entry of Datasets, in the same order.
    private static readonly Dictionary<string, double[]> Top1AccuracyPercentByModel = new(StringComparer.Ordinal)
    {
        ["Softmax"] = [75.27, 70.59, 77.07],
        ["LMAL"] = [79.15, 72.48, 82.27],
    };

    /// <summary>
    /// Returns the published top-1 accuracy in percent (0 to 100) of <paramref name="model"/> on <paramref name="dataset"/>.
    /// </summary>
    /// <param name="model">"Softmax" or "LMAL", case-sensitive.</param>
    /// <param name="dataset">One of <see cref="Datasets"/>, case-sensitive.</param>
    /// <exception cref="ArgumentException">No value is published for this model or dataset, for example for "LMCL".</exception>
    public static double GetTop1AccuracyPercent(string model, string dataset)
    {
        if (TryGetTop1AccuracyPercent(model, dataset, out double accuracyPercent))
        {
            return accuracyPercent;
        }

        throw new ArgumentException(
            $"No published top-1 accuracy for model '{model}' on dataset '{dataset}'. "
            + $"Reported models: {string.Join(", ", Models)}. Reported datasets: {string.Join(", ", Datasets)}.");
    }

    /// <summary>
    /// Looks up the published top-1 accuracy in percent (0 to 100) of <paramref name="model"/> on <paramref name="dataset"/>.
    /// Returns false, with <paramref name="accuracyPercent"/> set to NaN, when no such value is published, as for "LMCL".
    /// </summary>
    /// <param name="model">"Softmax" or "LMAL", case-sensitive.</param>
    /// <param name="dataset">One of <see cref="Datasets"/>, case-sensitive.</param>
    /// <param name="accuracyPercent">The published accuracy, or NaN when the method returns false.</param>
    public static bool TryGetTop1AccuracyPercent(string model, string dataset, out double accuracyPercent)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);

        int column = IndexOf(Datasets, dataset);
        if (column >= 0 && Top1AccuracyPercentByModel.TryGetValue(model, out double[]? row))
        {
            accuracyPercent = row[column];
            return true;
        }

        accuracyPercent = double.NaN;
        return false;
    }

    private static int IndexOf(IReadOnlyList<string> values, string value)
    {
        for (int i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
