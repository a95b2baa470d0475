using System.Globalization;
using System.Net;
using System.Text;
using ReproKit.Models;
using ReproKit.Reproduction;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using static TorchSharp.torch;

namespace ReproKit.Notebooks;

/// <summary>One test image with the model's prediction.</summary>
/// <param name="Index">Position in the test set.</param>
/// <param name="TrueClass">The label.</param>
/// <param name="PredictedClass">The class with the highest score.</param>
/// <param name="Confidence">Softmax probability of the predicted class, in [0, 1], from the scores the model is tested with (s * cos theta, no margin).</param>
/// <param name="PngDataUri">The image as a PNG data URI, enlarged for display.</param>
public sealed record Prediction(long Index, string TrueClass, string PredictedClass, double Confidence, string PngDataUri)
{
    /// <summary>Whether the prediction is right.</summary>
    public bool Correct => PredictedClass == TrueClass;
}

/// <summary>Table 1 of Cao, Gu and Huang for a trained model: test images with the predicted class and its confidence.</summary>
public sealed class PredictionGallery
{
    private PredictionGallery(string model, IReadOnlyList<Prediction> predictions)
    {
        Model = model;
        Predictions = predictions;
    }

    /// <summary>The model that made the predictions.</summary>
    public string Model { get; }

    /// <summary>The images and predictions, in the order drawn.</summary>
    public IReadOnlyList<Prediction> Predictions { get; }

    /// <summary>
    /// Scores <paramref name="count"/> test images, drawn without replacement with <paramref name="seed"/>, with the
    /// model saved at <paramref name="modelPath"/> (a stem, as <see cref="NotebookRun.ModelPath"/> returns).
    /// </summary>
    public static PredictionGallery Create(string modelPath, int count = 10, int seed = 7, string? dataDirectory = null, int displaySize = 112)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(displaySize, 8);
        var (description, model) = ModelDescription.Load(modelPath);
        using var scope = NewDisposeScope();
        using var data = FashionMnistPreparation.LoadTestSet(description.Dataset, dataDirectory, description.Mean[0], description.Std[0]);
        if (count > data.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"The test set of {modelPath} has {data.Count} images; ask for at most that many.");
        }

        var random = new Random(seed);
        var indices = Enumerable.Range(0, (int)data.Count).OrderBy(_ => random.Next()).Take(count).Select(i => (long)i).ToArray();
        model.eval();
        using var noGrad = no_grad();
        using var index = tensor(indices);
        var images = data.Images.index_select(0, index);
        var probabilities = nn.functional.softmax(model.forward(images, null), 1);
        var (confidence, predicted) = probabilities.max(1);
        var labels = data.Labels.index_select(0, index);

        var predictions = new List<Prediction>(count);
        for (int i = 0; i < count; i++)
        {
            // Undo the normalisation to get pixels in [0, 1] back.
            var pixels = (images[i][0] * description.Std[0] + description.Mean[0]).clamp(0, 1).mul(255).to(ScalarType.Byte).data<byte>().ToArray();
            predictions.Add(new Prediction(
                indices[i],
                description.ClassNames[(int)labels[i].item<long>()],
                description.ClassNames[(int)predicted[i].item<long>()],
                confidence[i].item<float>(),
                ToPngDataUri(pixels, (int)images.shape[3], (int)images.shape[2], displaySize)));
        }

        return new PredictionGallery($"{description.Head.Describe()} ({Path.GetFileName(modelPath)})", predictions);
    }

    /// <summary>A greyscale image (row-major bytes) as a PNG data URI, scaled with nearest-neighbour so pixels stay sharp.</summary>
    public static string ToPngDataUri(byte[] pixels, int width, int height, int displaySize)
    {
        using var image = Image.LoadPixelData<L8>(pixels, width, height);
        image.Mutate(x => x.Resize(displaySize, displaySize * height / width, KnownResamplers.NearestNeighbor));
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return "data:image/png;base64," + Convert.ToBase64String(stream.ToArray());
    }

    /// <summary>The gallery as an HTML table, one column per image.</summary>
    public HtmlBlock ToHtml()
    {
        var html = new StringBuilder("<table class=\"reprokit-gallery\"><tr><th>image</th>");
        foreach (var p in Predictions)
        {
            html.Append("<td><img src=\"").Append(p.PngDataUri).Append("\" alt=\"test image ").Append(p.Index).Append("\"/></td>");
        }

        void Row(string name, Func<Prediction, string> cell)
        {
            html.Append("<tr><th>").Append(name).Append("</th>");
            foreach (var p in Predictions)
            {
                html.Append("<td style=\"text-align:center\">").Append(WebUtility.HtmlEncode(cell(p))).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tr>");
        Row("predicted", p => p.PredictedClass);
        Row("confidence", p => p.Confidence.ToString("F4", CultureInfo.InvariantCulture));
        Row("true class", p => p.Correct ? p.TrueClass : p.TrueClass + " (wrong)");
        html.Append("</table><p>Model: ").Append(WebUtility.HtmlEncode(Model)).Append("</p>");
        return new HtmlBlock(html.ToString());
    }
}
