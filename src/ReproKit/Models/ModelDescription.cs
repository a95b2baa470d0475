using System.Text.Json;
using System.Text.Json.Serialization;
using ReproKit.Heads;

namespace ReproKit.Models;

/// <summary>
/// Everything needed to rebuild a trained classifier and feed it data the way it was trained:
/// saved as <c>NAME.json</c> beside the weights <c>NAME.weights</c>.
/// </summary>
/// <param name="Backbone">The backbone settings.</param>
/// <param name="Head">The head settings.</param>
/// <param name="ClassNames">Class names, indexed by label.</param>
/// <param name="Mean">Per-channel mean subtracted from pixel values in [0, 1].</param>
/// <param name="Std">Per-channel standard deviation the centred values are divided by.</param>
/// <param name="Dataset">The dataset and split the model was evaluated on, as <c>reprokit evaluate</c> rebuilds it by default.</param>
/// <param name="ImageSize">Input side in pixels for models trained on image files; null for Fashion-MNIST (28).</param>
public sealed record ModelDescription(
    BackboneSpec Backbone,
    HeadSpec Head,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<double> Mean,
    IReadOnlyList<double> Std,
    string Dataset,
    int? ImageSize = null)
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Builds the classifier with fresh weights.</summary>
    public ImageClassifier CreateModel() =>
        new(Backbone.Create(), Head.CreateHead(Backbone.ResolvedEmbeddingSize, ClassNames.Count));

    /// <summary>
    /// Saves the description and the model's weights as <c>PATH.json</c> and <c>PATH.weights</c>. Convolution weights
    /// stored channels last are rearranged channels first in place before writing.
    /// </summary>
    public void Save(string pathWithoutExtension, ImageClassifier model)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(pathWithoutExtension));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(pathWithoutExtension + ".json", JsonSerializer.Serialize(this, JsonOptions));

        // TorchSharp writes each tensor's storage in memory order, so channels-last weights would load permuted.
        Training.MemoryLayouts.Arrange(model, Training.MemoryLayout.ChannelsFirst);
        model.save(pathWithoutExtension + ".weights");
    }

    /// <summary>
    /// Loads a model saved by <see cref="Save"/>. <paramref name="path"/> may name the <c>.json</c> file,
    /// the <c>.weights</c> file or the common stem.
    /// </summary>
    /// <exception cref="FileNotFoundException">One of the two files is missing.</exception>
    /// <exception cref="InvalidDataException">The description cannot be read.</exception>
    public static (ModelDescription Description, ImageClassifier Model) Load(string path)
    {
        var stem = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".weights", StringComparison.OrdinalIgnoreCase)
            ? Path.Combine(Path.GetDirectoryName(path) ?? ".", Path.GetFileNameWithoutExtension(path))
            : path;
        var jsonPath = stem + ".json";
        var weightsPath = stem + ".weights";

        foreach (var required in new[] { jsonPath, weightsPath })
        {
            if (!File.Exists(required))
            {
                throw new FileNotFoundException($"Saved model file '{required}' was not found. Pass the path of a model written by 'reprokit train' or 'reprokit reproduce' (the models/ folder of a run holds NAME.json and NAME.weights).", required);
            }
        }

        ModelDescription description;
        try
        {
            description = JsonSerializer.Deserialize<ModelDescription>(File.ReadAllText(jsonPath), JsonOptions)
                ?? throw new InvalidDataException($"'{jsonPath}' contains JSON null.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"'{jsonPath}' is not a valid model description: {error.Message}. Re-save the model with 'reprokit train'.", error);
        }

        ImageClassifier model;
        try
        {
            model = description.CreateModel();
        }
        catch (ArgumentException error)
        {
            throw new InvalidDataException($"'{jsonPath}' describes an invalid model: {error.Message} Re-save the model with 'reprokit train'.", error);
        }

        try
        {
            model.load(weightsPath);
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
        {
            model.Dispose();
            throw new InvalidDataException($"The weights in '{weightsPath}' do not match the model described in '{jsonPath}': {error.Message}", error);
        }

        return (description, model);
    }
}
