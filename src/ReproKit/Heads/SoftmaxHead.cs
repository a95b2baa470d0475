using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReproKit.Heads;

/// <summary>VGG-16's original head: logits <c>W x + b</c>, trained with softmax cross-entropy.</summary>
public sealed class SoftmaxHead : ClassificationHead
{
    private readonly Linear fc;

    /// <summary>Creates a linear layer with bias from <paramref name="embeddingSize"/> features to <paramref name="classCount"/> classes.</summary>
    public SoftmaxHead(long embeddingSize, long classCount) : base(nameof(SoftmaxHead), embeddingSize, classCount)
    {
        fc = nn.Linear(embeddingSize, classCount, hasBias: true);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override IMarginFunction MarginFunction { get; } = new PlainCosine();

    /// <inheritdoc />
    public override Tensor forward(Tensor embedding, Tensor? labels)
    {
        CheckEmbedding(embedding);
        return fc.forward(embedding);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            fc.Dispose();
        }

        base.Dispose(disposing);
    }
}
