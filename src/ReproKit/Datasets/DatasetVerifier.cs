namespace ReproKit.Datasets;

/// <summary>What <see cref="DatasetVerifier"/> found in one split.</summary>
/// <param name="Name">The split.</param>
/// <param name="ClassNames">Class names, indexed by label.</param>
/// <param name="CountPerClass">Usable examples per class.</param>
/// <param name="Images">Distinct image files used by the split.</param>
/// <param name="Warnings">Things left out on purpose (non-image files, images with only difficult objects).</param>
public sealed record SplitReport(string Name, IReadOnlyList<string> ClassNames, IReadOnlyList<long> CountPerClass, int Images, IReadOnlyList<string> Warnings);

/// <summary>Everything <see cref="DatasetVerifier.Verify"/> found.</summary>
/// <param name="Splits">One report per split that could be read.</param>
/// <param name="Problems">Every problem, each naming a file and a fix; empty when the dataset is usable as it is.</param>
public sealed record VerificationReport(IReadOnlyList<SplitReport> Splits, IReadOnlyList<DatasetProblem> Problems);

/// <summary>Checks a dataset before training: counts per split and class, and every problem found.</summary>
public static class DatasetVerifier
{
    /// <summary>
    /// Reads every split of the dataset and collects what is wrong instead of stopping at the first problem.
    /// <paramref name="checkImage"/>, when given, is called once per image file and returns why the file cannot be
    /// used, or null when it can (the CLI passes a header check that does not decode the pixels).
    /// </summary>
    public static VerificationReport Verify(ImageDatasetOptions options, Func<string, string?>? checkImage = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (File.Exists(options.Root))
        {
            throw new DatasetException(options.Root, $"Dataset path '{options.Root}' is a file, not a folder. Pass the dataset's folder with --data.");
        }

        if (!Directory.Exists(options.Root))
        {
            // The same input error for every kind, rather than a problem report for some and an exception for others.
            string fetch = options.Kind switch
            {
                ImageDatasetKind.Voc2007 => " Download it with data-scripts/fetch-voc2007.sh.",
                ImageDatasetKind.Voc2012 => " Download it with data-scripts/fetch-voc2012.sh.",
                ImageDatasetKind.Caltech256 => " Download it with data-scripts/fetch-caltech256.sh.",
                _ => string.Empty,
            };
            throw new DatasetException(options.Root, $"Dataset folder '{options.Root}' does not exist. Check the path given with --data.{fetch}");
        }

        var splits = new List<DatasetSplit>();
        var problems = new List<DatasetProblem>();
        switch (options.Kind)
        {
            case ImageDatasetKind.Voc2007:
            case ImageDatasetKind.Voc2012:
                int year = options.Kind == ImageDatasetKind.Voc2007 ? 2007 : 2012;
                if (options.Protocol == VocProtocol.Actions && year != 2012)
                {
                    throw new ArgumentException("The actions protocol needs VOC2012; VOC2007 has no action annotations.");
                }

                string folder;
                try
                {
                    folder = VocDataset.FindYearFolder(options.Root, year);
                }
                catch (DatasetException e)
                {
                    // The folder exists but contains no VOC tree, which is a problem to report (as for the other kinds), not an input error.
                    problems.Add(new DatasetProblem(e.FilePath, e.Message));
                    break;
                }

                var names = year == 2007 ? new[] { "train", "val", "trainval", "test" } : ["train", "val", "trainval"];
                foreach (string split in names)
                {
                    var listFolder = Path.Combine(folder, "ImageSets", options.Protocol == VocProtocol.Actions ? "Action" : "Main");
                    if (!File.Exists(Path.Combine(listFolder, split + ".txt")))
                    {
                        problems.Add(new DatasetProblem(listFolder, $"{Path.Combine(listFolder, split + ".txt")} is missing, so the {split} split cannot be used{(split == "test" ? " (it comes in VOCtest_06-Nov-2007.tar; run data-scripts/fetch-voc2007.sh)" : ". Re-extract the archive")}."));
                        continue;
                    }

                    var vocOptions = new VocOptions(options.Root, year, split, options.Protocol, options.CropContext);
                    var (loaded, found) = VocDataset.Inspect(vocOptions);
                    splits.Add(loaded);
                    problems.AddRange(found);
                    if (options.Protocol != VocProtocol.Actions)
                    {
                        problems.AddRange(VocDataset.CheckClassLists(vocOptions));
                    }
                }

                break;
            case ImageDatasetKind.Caltech256:
            case ImageDatasetKind.ImageFolder:
                try
                {
                    var (train, test, _) = ImageDatasets.Load(options);
                    splits.AddRange([train, test]);
                }
                catch (DatasetException e)
                {
                    problems.Add(new DatasetProblem(e.FilePath, e.Message));
                }

                break;
        }

        if (checkImage is not null)
        {
            foreach (string image in splits.SelectMany(s => s.Items).Select(i => i.ImagePath).Distinct(StringComparer.Ordinal))
            {
                if (checkImage(image) is { } reason)
                {
                    problems.Add(new DatasetProblem(image, $"{image}: {reason}"));
                }
            }
        }

        var reports = splits.Select(s => new SplitReport(s.Name, s.ClassNames, s.CountPerClass(), s.Items.Select(i => i.ImagePath).Distinct(StringComparer.Ordinal).Count(), s.Warnings)).ToList();
        return new VerificationReport(reports, problems);
    }
}
