using ReproKit.Heads;

namespace ReproKit.Reproduction;

/// <summary>What to run: a profile, the heads, where to write, and on which device.</summary>
/// <param name="Profile">Backbone, training and data settings.</param>
/// <param name="Heads">Heads to train, one model each, all with the profile's backbone, seed and data order.</param>
/// <param name="RunDirectory">Output folder; it must not exist yet or be empty, so no earlier result is overwritten.</param>
/// <param name="Device">auto, cpu, cuda or cuda:N.</param>
/// <param name="DataDirectory">A folder with Fashion-MNIST files, or null to search the usual places.</param>
public sealed record ReproductionRequest(
    ReproductionProfile Profile,
    IReadOnlyList<HeadSpec> Heads,
    string RunDirectory,
    string Device = "auto",
    string? DataDirectory = null)
{
    /// <summary>The three heads of Table 2 with the kit's default margins.</summary>
    public static IReadOnlyList<HeadSpec> PaperHeads { get; } = [HeadSpec.Softmax(), HeadSpec.Lmcl(), HeadSpec.Lmal()];
}
