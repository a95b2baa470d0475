using TorchSharp;
using static TorchSharp.torch;

namespace ReproKit.Models;

/// <summary>
/// A network that maps images [batch, channels, height, width] to embeddings [batch, EmbeddingSize],
/// the penultimate feature on which any classification head can sit.
/// </summary>
public abstract class EmbeddingBackbone : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module with its registered name.</summary>
    protected EmbeddingBackbone(string name) : base(name)
    {
    }

    /// <summary>Number of features in the embedding.</summary>
    public abstract long EmbeddingSize { get; }

    /// <summary>Number of input channels the first convolution expects.</summary>
    public abstract long InputChannels { get; }
}
