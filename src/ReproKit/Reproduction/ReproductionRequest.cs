using ReproKit.Heads;

namespace ReproKit.Reproduction;

/// <summary>What to run: a profile, the heads, where to write, and on which device.</summary>
/// <param name="Profile">Backbone, training and data settings.</param>
/// <param name="Heads">Heads to train, one model each, all with the profile's backbone, seed and data order.</param>
/// <param name="RunDirectory">Output folder; it must not exist yet or be empty, so no earlier result is overwritten.</param>
/// <param name="Device">auto, cpu, cuda or cuda:N.</param>
/// <param name="DataDirectory">A folder with Fashion-MNIST files, or null to search the usual places (ignored with <paramref name="ImageDataset"/>).</param>
/// <param name="ImageDataset">An image dataset (VOC, Caltech-256, image folder) to train and test on instead of Fashion-MNIST; its root is the data folder.</param>
/// <param name="ImageLoading">How image files are decoded, cached and skipped; null for the defaults.</param>
public sealed record ReproductionRequest(
    ReproductionProfile Profile,
    IReadOnlyList<HeadSpec> Heads,
    string RunDirectory,
    string Device = "auto",
    string? DataDirectory = null,
    Datasets.ImageDatasetOptions? ImageDataset = null,
    ImageLoadingOptions? ImageLoading = null)
{
    /// <summary>The three heads of Table 2 with the kit's default margins.</summary>
    public static IReadOnlyList<HeadSpec> PaperHeads { get; } = [HeadSpec.Softmax(), HeadSpec.Lmcl(), HeadSpec.Lmal()];
}
