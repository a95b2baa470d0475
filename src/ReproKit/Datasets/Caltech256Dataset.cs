using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ReproKit.Datasets;

/// <summary>Which Caltech-256 data to load.</summary>
/// <param name="Root">The 256_ObjectCategories folder, or a folder that contains it.</param>
/// <param name="TrainPerClass">Training images per class; the rest of each class is the test split. 60 is a common protocol (30 another).</param>
/// <param name="Seed">Seed of the per-class shuffle that picks the training images.</param>
/// <param name="IncludeClutter">Include 257.clutter as a class (left out by default, as usual for Caltech-256).</param>
/// <param name="SplitFile">Where the split is written on first use and read on later runs; null for <see cref="Caltech256Dataset.DefaultSplitFileName"/> beside 256_ObjectCategories.</param>
public sealed record Caltech256Options(string Root, int TrainPerClass = 60, int Seed = 1, bool IncludeClutter = false, string? SplitFile = null);

/// <summary>
/// Caltech-256: class folders named NNN.name under 256_ObjectCategories. The train/test division is drawn once
/// per (training images per class, seed) and written to a split file, so later runs, and other machines given the
/// file, use exactly the same images.
/// </summary>
public static partial class Caltech256Dataset
{
    /// <summary>The folder name of the background class that is left out by default.</summary>
    public const string ClutterFolder = "257.clutter";

    /// <summary>Loads the train and test splits, writing the split file first when it does not exist.</summary>
    public static (DatasetSplit Train, DatasetSplit Test, string SplitFile) Load(Caltech256Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TrainPerClass, 1);
        string root = FindRoot(options.Root);
        var warnings = new List<string>();
        var classFolders = Directory.GetDirectories(root)
            .Select(d => (Path: d, Match: ClassFolderPattern().Match(Path.GetFileName(d))))
            .Where(d =>
            {
                if (!d.Match.Success)
                {
                    warnings.Add($"{d.Path} is not a class folder (NNN.name) and was skipped.");
                    return false;
                }

                return options.IncludeClutter || Path.GetFileName(d.Path) != ClutterFolder;
            })
            .OrderBy(d => int.Parse(d.Match.Groups[1].Value, CultureInfo.InvariantCulture))
            .ToList();
        if (classFolders.Count == 0)
        {
            throw new DatasetException(root, $"{root} has no class folders named NNN.name. Run data-scripts/fetch-caltech256.sh, or pass the 256_ObjectCategories folder.");
        }

        var classNames = classFolders.Select(d => d.Match.Groups[2].Value).ToList();
        var images = classFolders.Select(d => ImageFiles.List(d.Path, warnings)).ToList();
        string splitFile = options.SplitFile ?? Path.Combine(Path.GetDirectoryName(root)!, DefaultSplitFileName(options));
        var trainIds = File.Exists(splitFile)
            ? ReadSplitFile(splitFile, root, warnings)
            : WriteSplitFile(splitFile, root, images, options);

        var train = new List<DatasetItem>();
        var test = new List<DatasetItem>();
        for (int label = 0; label < images.Count; label++)
        {
            foreach (string image in images[label])
            {
                string id = RelativeId(root, image);
                (trainIds.Contains(id) ? train : test).Add(new DatasetItem(image, label, id));
            }

            if (images[label].Count <= options.TrainPerClass)
            {
                warnings.Add($"{classFolders[label].Path} has {images[label].Count} images, not more than {options.TrainPerClass}, so its test split is empty.");
            }
        }

        var known = new HashSet<string>(train.Select(i => i.Id), StringComparer.Ordinal);
        int missing = trainIds.Count(id => !known.Contains(id));
        if (missing > 0)
        {
            throw new DatasetException(splitFile, $"{splitFile} lists {missing} training image(s) that are not in {root} any more. Restore the images, or delete the split file to draw a new split.");
        }

        return (new DatasetSplit($"Caltech-256 train ({options.TrainPerClass} per class, seed {options.Seed})", classNames, train, warnings),
                new DatasetSplit($"Caltech-256 test (the rest of each class)", classNames, test, []),
                splitFile);
    }

    /// <summary>The split file's default name, written beside 256_ObjectCategories: it names every setting that changes the draw.</summary>
    public static string DefaultSplitFileName(Caltech256Options options) =>
        $"reprokit-caltech256-split-train{options.TrainPerClass}-seed{options.Seed}{(options.IncludeClutter ? "-clutter" : string.Empty)}.tsv";

    /// <summary>Returns the 256_ObjectCategories folder: ROOT itself or ROOT/256_ObjectCategories.</summary>
    public static string FindRoot(string root)
    {
        string nested = Path.Combine(root, "256_ObjectCategories");
        if (Directory.Exists(nested))
        {
            return Path.GetFullPath(nested);
        }

        return Directory.Exists(root)
            ? Path.GetFullPath(root)
            : throw new DatasetException(root, $"The Caltech-256 folder '{root}' does not exist. Run data-scripts/fetch-caltech256.sh, or pass the folder that contains 256_ObjectCategories.");
    }

    private static HashSet<string> WriteSplitFile(string path, string root, List<List<string>> images, Caltech256Options options)
    {
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        var text = new StringBuilder();
        text.Append("# ReproKit Caltech-256 split: ").Append(options.TrainPerClass).Append(" training images per class, seed ").Append(options.Seed)
            .Append(". One training image per line, relative to 256_ObjectCategories; every other image is test.\n");
        for (int label = 0; label < images.Count; label++)
        {
            // A per-class generator keeps each class's choice independent of the other classes.
            var random = new Random(unchecked((options.Seed * 1_000_003) + label)); // not HashCode, which is randomised per process
            var picked = images[label].OrderBy(_ => random.Next()).Take(options.TrainPerClass).Select(p => RelativeId(root, p)).Order(StringComparer.Ordinal);
            foreach (string id in picked)
            {
                chosen.Add(id);
                text.Append(id).Append('\n');
            }
        }

        string temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(temporary, text.ToString());
        File.Move(temporary, path, overwrite: false);
        return chosen;
    }

    private static HashSet<string> ReadSplitFile(string path, string root, List<string> warnings)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        int line = 0;
        foreach (string raw in File.ReadLines(path))
        {
            line++;
            string id = raw.Trim();
            if (id.Length == 0 || id.StartsWith('#'))
            {
                continue;
            }

            if (id.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(id))
            {
                throw new DatasetException(path, $"{path}, line {line}: '{id}' is not a path inside {root}. Delete the split file to draw a new split.");
            }

            if (!ids.Add(id))
            {
                warnings.Add($"{path}, line {line}: {id} is listed twice.");
            }
        }

        return ids;
    }

    private static string RelativeId(string root, string image) => Path.GetRelativePath(root, image).Replace('\\', '/');

    [GeneratedRegex(@"^(\d{3})\.(.+)$")]
    private static partial Regex ClassFolderPattern();
}
