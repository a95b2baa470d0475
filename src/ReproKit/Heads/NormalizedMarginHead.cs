using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReproKit.Heads;

/// <summary>
/// The cosine-classifier head shared by LMCL, LMAL and the combined margin: features and class weights
/// are L2-normalised, so the logit of class j is <c>s cos(theta_j)</c>; during training the true class's
/// cosine goes through the margin function first.
/// </summary>
public sealed class NormalizedMarginHead : ClassificationHead
{
    private readonly Parameter weight;

    /// <summary>Creates the head. <paramref name="scale"/> is s, greater than 0.</summary>
    public NormalizedMarginHead(long embeddingSize, long classCount, double scale, IMarginFunction marginFunction)
        : base(nameof(NormalizedMarginHead), embeddingSize, classCount)
    {
        HeadValidation.RequirePositiveFinite(scale, nameof(scale), "scale s");
        ArgumentNullException.ThrowIfNull(marginFunction);

        Scale = scale;
        MarginFunction = marginFunction;
        weight = nn.Parameter(empty(classCount, embeddingSize));
        nn.init.xavier_uniform_(weight);
        RegisterComponents();
    }

    /// <summary>The scale s that multiplies every cosine.</summary>
    public double Scale { get; }

    /// <inheritdoc />
    public override IMarginFunction MarginFunction { get; }

    /// <summary>Class weight matrix W, one row per class.</summary>
    public Parameter Weight => weight;

    /// <summary>Returns cos(theta_j) for every sample and class: a [batch, classes] matrix.</summary>
    public Tensor Cosine(Tensor embedding)
    {
        CheckEmbedding(embedding);
        var x = nn.functional.normalize(embedding, p: 2, dim: 1);
        var w = nn.functional.normalize(weight, p: 2, dim: 1);
        return x.matmul(w.t());
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor embedding, Tensor? labels)
    {
        var cosTheta = Cosine(embedding);

        if (!training || labels is null)
        {
            return cosTheta * Scale;
        }

        var target = labels.view(-1, 1);
        var targetCos = cosTheta.gather(1, target);
        var targetLogit = MarginFunction.TargetLogit(targetCos);
        return cosTheta.scatter(1, target, targetLogit) * Scale;
    }
}
