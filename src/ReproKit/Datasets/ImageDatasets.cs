using System.Globalization;

namespace ReproKit.Datasets;

/// <summary>The image datasets the kit loads from files.</summary>
public enum ImageDatasetKind
{
    /// <summary>PASCAL VOC 2007: trains on trainval, tests on test.</summary>
    Voc2007,

    /// <summary>PASCAL VOC 2012: trains on train, tests on val (the test annotations are not public).</summary>
    Voc2012,

    /// <summary>Caltech-256: a fixed number of training images per class, the rest for test.</summary>
    Caltech256,

    /// <summary>An ImageNet-style folder with train/ and val/ (or test/), one sub-folder per class.</summary>
    ImageFolder,
}

/// <summary>Which image dataset to use and how to split it.</summary>
/// <param name="Kind">The dataset.</param>
/// <param name="Root">Its folder (see each loader for what it accepts).</param>
/// <param name="Protocol">VOC only: how images become single-label examples.</param>
/// <param name="CropContext">VOC crop protocols only: fraction of the box size added on each side.</param>
/// <param name="TrainPerClass">Caltech-256 only: training images per class.</param>
/// <param name="Seed">Caltech-256 only: seed of the train/test draw.</param>
/// <param name="TrainSplit">VOC only: the training split, or null for the default (2007: trainval, 2012: train).</param>
/// <param name="TestSplit">VOC only: the test split, or null for the default (2007: test, 2012: val).</param>
public sealed record ImageDatasetOptions(
    ImageDatasetKind Kind,
    string Root,
    VocProtocol Protocol = VocProtocol.DominantObject,
    double CropContext = 0,
    int TrainPerClass = 60,
    int Seed = 1,
    string? TrainSplit = null,
    string? TestSplit = null)
{
    /// <summary>The name Table 2 uses for this dataset.</summary>
    public string TableLabel => Kind switch
    {
        ImageDatasetKind.Voc2007 => "VOC-2007",
        ImageDatasetKind.Voc2012 => "VOC-2012",
        ImageDatasetKind.Caltech256 => "Caltech-256",
        _ => "image folder",
    };

    /// <summary>Parses a dataset name as typed on the command line: voc2007, voc2012, caltech256 or folder.</summary>
    public static ImageDatasetKind ParseKind(string name) => name.Trim().ToLowerInvariant() switch
    {
        "voc2007" or "voc-2007" => ImageDatasetKind.Voc2007,
        "voc2012" or "voc-2012" => ImageDatasetKind.Voc2012,
        "caltech256" or "caltech-256" => ImageDatasetKind.Caltech256,
        "folder" or "imagefolder" => ImageDatasetKind.ImageFolder,
        _ => throw new ArgumentException($"Dataset '{name}' is not known. Choose one of: fashion-mnist, voc2007, voc2012, caltech256, folder."),
    };

    /// <summary>Parses a VOC protocol name: dominant, crops or actions.</summary>
    public static VocProtocol ParseProtocol(string name) => name.Trim().ToLowerInvariant() switch
    {
        "dominant" => VocProtocol.DominantObject,
        "crops" => VocProtocol.ObjectCrops,
        "actions" => VocProtocol.Actions,
        _ => throw new ArgumentException($"VOC protocol '{name}' is not known. Choose one of: dominant, crops, actions."),
    };
}

/// <summary>Loads the training and test splits of an image dataset, and rebuilds a test split from its key.</summary>
public static class ImageDatasets
{
    /// <summary>The training and test splits, and a key that <see cref="LoadTestFromKey"/> turns back into the test split.</summary>
    public static (DatasetSplit Train, DatasetSplit Test, string TestKey) Load(ImageDatasetOptions options)
    {
        var (train, test, key) = LoadSplits(options);
        foreach (var split in new[] { train, test })
        {
            if (split.Items.Count == 0)
            {
                string hint = options.Kind == ImageDatasetKind.Caltech256
                    ? $" Every class has at most {options.TrainPerClass} images, so nothing is left for testing: lower --train-per-class."
                    : " Add images to it, or choose another split.";
                throw new DatasetException(options.Root, $"{split.Name} has no examples, so the run cannot train or score on it.{hint}");
            }
        }

        return (train, test, key);
    }

    private static (DatasetSplit Train, DatasetSplit Test, string TestKey) LoadSplits(ImageDatasetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string root = Path.GetFullPath(options.Root);
        switch (options.Kind)
        {
            case ImageDatasetKind.Voc2007:
            case ImageDatasetKind.Voc2012:
                int year = options.Kind == ImageDatasetKind.Voc2007 ? 2007 : 2012;
                string trainSplit = options.TrainSplit ?? (year == 2007 ? "trainval" : "train");
                string testSplit = options.TestSplit ?? (year == 2007 ? "test" : "val");
                if (trainSplit == testSplit || (trainSplit == "trainval" && testSplit is "train" or "val"))
                {
                    throw new ArgumentException($"VOC{year}: training on {trainSplit} and testing on {testSplit} would test on training images. Choose disjoint splits.");
                }

                var train = VocDataset.Load(new VocOptions(root, year, trainSplit, options.Protocol, options.CropContext));
                var test = VocDataset.Load(new VocOptions(root, year, testSplit, options.Protocol, options.CropContext));
                string key = string.Create(CultureInfo.InvariantCulture, $"voc{year}|{testSplit}|{options.Protocol}|{options.CropContext}|{root}");
                return (train, test, key);
            case ImageDatasetKind.Caltech256:
                var (caltechTrain, caltechTest, splitFile) = Caltech256Dataset.Load(new Caltech256Options(root, options.TrainPerClass, options.Seed));
                return (caltechTrain, caltechTest, $"caltech256|{options.TrainPerClass}|{options.Seed}|{splitFile}|{root}");
            case ImageDatasetKind.ImageFolder:
                var (folderTrain, folderTest) = ImageFolderDataset.LoadTrainAndTest(root);
                return (folderTrain, folderTest, $"folder|{root}");
            default:
                throw new ArgumentOutOfRangeException(nameof(options), $"Dataset kind {options.Kind} is not handled.");
        }
    }

    /// <summary>Whether <paramref name="key"/> names an image dataset's test split (as written by <see cref="Load"/>).</summary>
    public static bool IsImageKey(string key) =>
        key.StartsWith("voc2007|", StringComparison.Ordinal) || key.StartsWith("voc2012|", StringComparison.Ordinal)
        || key.StartsWith("caltech256|", StringComparison.Ordinal) || key.StartsWith("folder|", StringComparison.Ordinal);

    /// <summary>Rebuilds the test split a model was evaluated on, from the key stored with it.</summary>
    public static DatasetSplit LoadTestFromKey(string key, string? rootOverride = null)
    {
        string[] parts = key.Split('|');
        switch (parts[0])
        {
            case "voc2007" or "voc2012" when parts.Length == 5:
                int year = parts[0] == "voc2007" ? 2007 : 2012;
                return VocDataset.Load(new VocOptions(rootOverride ?? parts[4], year, parts[1], Enum.Parse<VocProtocol>(parts[2]), double.Parse(parts[3], CultureInfo.InvariantCulture)));
            case "caltech256" when parts.Length == 5:
                var options = new Caltech256Options(rootOverride ?? parts[4], int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture), SplitFile: parts[3]);
                return Caltech256Dataset.Load(options).Test;
            case "folder" when parts.Length == 2:
                return ImageFolderDataset.LoadTrainAndTest(rootOverride ?? parts[1]).Test;
            default:
                throw new ArgumentException($"Dataset key '{key}' is not one this version understands. Evaluate with a model saved by this version of ReproKit.");
        }
    }
}
