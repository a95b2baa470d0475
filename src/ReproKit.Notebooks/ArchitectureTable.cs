using Microsoft.Data.Analysis;
using ReproKit.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ReproKit.Notebooks;

/// <summary>One layer of a network as it runs on one input.</summary>
/// <param name="Name">Module path, for example <c>features.0</c>.</param>
/// <param name="Type">Module type, for example <c>Conv2d</c>.</param>
/// <param name="OutputShape">Output shape without the batch dimension, for example <c>64x224x224</c>.</param>
/// <param name="Parameters">Trainable parameters of this layer.</param>
/// <param name="MultiplyAdds">Multiply-accumulate operations for one image (convolutions and linear layers only).</param>
public sealed record LayerRow(string Name, string Type, string OutputShape, long Parameters, long MultiplyAdds);

/// <summary>Lists a backbone's layers by running one image through it with a hook on every leaf module.</summary>
public static class ArchitectureTable
{
    /// <summary>The layers of <paramref name="backbone"/> for one <paramref name="height"/> x <paramref name="width"/> image, in execution order.</summary>
    public static IReadOnlyList<LayerRow> Describe(EmbeddingBackbone backbone, long height, long width)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        var rows = new List<LayerRow>();
        var removers = new List<Action>();
        bool wasTraining = backbone.training;
        backbone.eval();
        try
        {
            foreach (var (name, module) in backbone.named_modules())
            {
                if (module.children().Any() || module is not nn.Module<Tensor, Tensor> leaf)
                {
                    continue;
                }

                string layerName = name;
                var remover = leaf.register_forward_hook((m, input, output) =>
                {
                    long parameters = m.parameters().Sum(p => p.numel());
                    rows.Add(new LayerRow(layerName, m.GetType().Name, string.Join("x", output.shape.Skip(1)), parameters, MultiplyAdds(m, output)));
                    return output;
                });
                removers.Add(remover.remove);
            }

            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var device = backbone.parameters().FirstOrDefault()?.device ?? CPU;
            using var input = zeros([1, backbone.InputChannels, height, width], device: device);
            backbone.forward(input);
        }
        finally
        {
            foreach (var remover in removers)
            {
                remover();
            }

            backbone.train(wasTraining);
        }

        return rows;
    }

    /// <summary>The rows as a DataFrame with a total line at the bottom.</summary>
    public static DataFrame ToDataFrame(IReadOnlyList<LayerRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var withTotal = rows.Append(new LayerRow("total", string.Empty, string.Empty, rows.Sum(r => r.Parameters), rows.Sum(r => r.MultiplyAdds))).ToList();
        return new DataFrame(
            new StringDataFrameColumn("layer", withTotal.Select(r => r.Name)),
            new StringDataFrameColumn("type", withTotal.Select(r => r.Type)),
            new StringDataFrameColumn("output shape", withTotal.Select(r => r.OutputShape)),
            new Int64DataFrameColumn("parameters", withTotal.Select(r => r.Parameters)),
            new Int64DataFrameColumn("multiply-adds", withTotal.Select(r => r.MultiplyAdds)));
    }

    private static long MultiplyAdds(nn.Module module, Tensor output)
    {
        long outputPositions = output.shape.Skip(2).Aggregate(1L, (a, b) => a * b);
        return module switch
        {
            // Each output value of a convolution sums in_channels/groups * kh * kw products.
            Conv2d conv => conv.weight!.numel() * outputPositions,
            Linear linear => linear.weight!.numel(),
            _ => 0,
        };
    }
}
