using ReproKit.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace ReproKit.Models;

/// <summary>A backbone and a head: images in, logits out. Any head sits on any backbone.</summary>
public sealed class ImageClassifier : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly EmbeddingBackbone backbone;
    private readonly ClassificationHead head;

    /// <summary>Joins <paramref name="backbone"/> and <paramref name="head"/>; their embedding sizes must match.</summary>
    public ImageClassifier(EmbeddingBackbone backbone, ClassificationHead head) : base(nameof(ImageClassifier))
    {
        if (backbone.EmbeddingSize != head.EmbeddingSize)
        {
            throw new ArgumentException(
                $"The backbone produces {backbone.EmbeddingSize} features but the head expects {head.EmbeddingSize}. Create the head with the backbone's EmbeddingSize.",
                nameof(head));
        }

        this.backbone = backbone;
        this.head = head;
        RegisterComponents();
    }

    /// <summary>The embedding network.</summary>
    public EmbeddingBackbone Backbone => backbone;

    /// <summary>The classification head.</summary>
    public ClassificationHead Head => head;

    /// <summary>Returns the embeddings of <paramref name="images"/>.</summary>
    public Tensor Embed(Tensor images) => backbone.forward(images);

    /// <summary>Returns the logits; the margin is applied only in training mode with labels.</summary>
    public override Tensor forward(Tensor images, Tensor? labels) => head.forward(backbone.forward(images), labels);
}
