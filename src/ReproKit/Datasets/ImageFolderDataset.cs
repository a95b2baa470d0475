namespace ReproKit.Datasets;

/// <summary>
/// An ImageNet-style tree: one folder per class with its images inside (ROOT/CLASS/IMAGE). Classes are the
/// sub-folder names in ordinal order, so the labels are the same on every machine.
/// </summary>
public static class ImageFolderDataset
{
    /// <summary>Loads every class folder of <paramref name="root"/>. Non-image files are skipped with a warning.</summary>
    public static DatasetSplit Load(string root, string? name = null, IReadOnlyList<string>? classNames = null)
    {
        if (!Directory.Exists(root))
        {
            throw new DatasetException(root, $"The image folder '{root}' does not exist. Pass a folder with one sub-folder of images per class.");
        }

        var warnings = new List<string>();
        var folders = Directory.GetDirectories(root).Order(StringComparer.Ordinal).ToList();
        var names = classNames ?? folders.Select(Path.GetFileName).Select(n => n!).ToList();
        if (names.Count == 0)
        {
            throw new DatasetException(root, $"'{root}' has no class folders. Put each class's images in a sub-folder named after the class.");
        }

        foreach (string file in Directory.GetFiles(root))
        {
            warnings.Add($"{file} is not inside a class folder and was skipped.");
        }

        var items = new List<DatasetItem>();
        foreach (string folder in folders)
        {
            string className = Path.GetFileName(folder);
            int label = IndexOf(names, className);
            if (label < 0)
            {
                throw new DatasetException(folder, $"Class folder '{className}' in {root} is not one of the {names.Count} training classes ({string.Join(", ", names.Take(10))}{(names.Count > 10 ? ", ..." : string.Empty)}). Rename or remove it.");
            }

            items.AddRange(ImageFiles.List(folder, warnings).Select(image => new DatasetItem(Path.GetFullPath(image), label, Path.GetRelativePath(root, image).Replace('\\', '/'))));
        }

        if (items.Count == 0)
        {
            throw new DatasetException(root, $"'{root}' has class folders but no images ({string.Join(", ", ImageFiles.Extensions)}).");
        }

        return new DatasetSplit(name ?? $"image folder {Path.GetFileName(Path.GetFullPath(root))}", names, items, warnings);
    }

    /// <summary>
    /// Loads ROOT/train and ROOT/val (or ROOT/test) as training and evaluation splits with the training split's classes.
    /// </summary>
    public static (DatasetSplit Train, DatasetSplit Test) LoadTrainAndTest(string root)
    {
        string train = Path.Combine(root, "train");
        string? test = new[] { "val", "test" }.Select(n => Path.Combine(root, n)).FirstOrDefault(Directory.Exists);
        if (!Directory.Exists(train) || test is null)
        {
            throw new DatasetException(root, $"'{root}' needs a train/ folder and a val/ or test/ folder, each with one sub-folder per class.");
        }

        var trainSplit = Load(train, "image folder train");
        return (trainSplit, Load(test, $"image folder {Path.GetFileName(test)}", trainSplit.ClassNames));
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
