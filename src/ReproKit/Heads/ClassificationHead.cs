using TorchSharp;
using static TorchSharp.torch;

namespace ReproKit.Heads;

/// <summary>
/// A classification head on top of an embedding. <c>forward(embedding, labels)</c> returns the logits
/// that the cross-entropy loss receives: with the margin applied to the true class while the module is
/// training and labels are given, and plain scores otherwise (evaluation never needs labels).
/// </summary>
public abstract class ClassificationHead : nn.Module<Tensor, Tensor?, Tensor>
{
    /// <summary>Creates the head and validates the sizes.</summary>
    protected ClassificationHead(string name, long embeddingSize, long classCount) : base(name)
    {
        HeadValidation.RequireAtLeast(embeddingSize, 1, nameof(embeddingSize), "embedding size");
        HeadValidation.RequireAtLeast(classCount, 2, nameof(classCount), "number of classes");
        EmbeddingSize = embeddingSize;
        ClassCount = classCount;
    }

    /// <summary>Number of features the head expects per sample.</summary>
    public long EmbeddingSize { get; }

    /// <summary>Number of classes scored.</summary>
    public long ClassCount { get; }

    /// <summary>The target-logit function this head trains with.</summary>
    public abstract IMarginFunction MarginFunction { get; }

    /// <summary>Returns the mean cross-entropy loss of <paramref name="logits"/> from <c>forward(embedding, labels)</c>.</summary>
    public static Tensor Loss(Tensor logits, Tensor labels) => nn.functional.cross_entropy(logits, labels);

    /// <summary>Throws when <paramref name="embedding"/> is not a [batch, EmbeddingSize] matrix.</summary>
    protected void CheckEmbedding(Tensor embedding)
    {
        if (embedding.dim() != 2 || embedding.shape[1] != EmbeddingSize)
        {
            throw new ArgumentException(
                $"The {GetName()} head expects embeddings of shape [batch, {EmbeddingSize}], but got [{string.Join(", ", embedding.shape)}]. " +
                "Create the head with the backbone's EmbeddingSize.",
                nameof(embedding));
        }
    }
}
