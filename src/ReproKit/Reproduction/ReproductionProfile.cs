using ReproKit.Models;
using ReproKit.Training;

namespace ReproKit.Reproduction;

/// <summary>
/// A named set of reproduction settings: backbone, training and which Fashion-MNIST data to use.
/// </summary>
/// <param name="Name">Profile name used on the command line.</param>
/// <param name="Summary">One line saying what the profile is for.</param>
/// <param name="Backbone">Backbone settings shared by all heads.</param>
/// <param name="Training">Optimiser and schedule settings shared by all heads.</param>
/// <param name="UseFullTrainingSplit">
/// Train on the official 60,000-image training split and test on the 10,000-image test split when
/// the training split is present. When false, or when it is absent, the embedded test split is
/// divided into a training part and a held-out part.
/// </param>
/// <param name="HeldOutFraction">Fraction of the embedded images held out for testing when they are divided, in (0, 1).</param>
/// <param name="ImageLimit">Use only this many images of the embedded split (before dividing), or all when null; small values make smoke runs.</param>
public sealed record ReproductionProfile(
    string Name,
    string Summary,
    BackboneSpec Backbone,
    TrainingOptions Training,
    bool UseFullTrainingSplit,
    double HeldOutFraction = 0.2,
    int? ImageLimit = null);
