using System.Globalization;

namespace ReproKit.Datasets;

/// <summary>How VOC's multi-object images become single-label examples.</summary>
public enum VocProtocol
{
    /// <summary>One example per image, labelled with the class of its largest non-difficult object (the default).</summary>
    DominantObject,

    /// <summary>One example per non-difficult object: its box, optionally with context around it, labelled with its class.</summary>
    ObjectCrops,

    /// <summary>VOC2012 action classification: one example per person box with exactly one of the ten actions.</summary>
    Actions,
}

/// <summary>Which VOC data to load.</summary>
/// <param name="Root">A folder that contains VOCdevkit, the VOCdevkit folder itself, or the VOC2007/VOC2012 folder.</param>
/// <param name="Year">2007 or 2012.</param>
/// <param name="Split">train, val, trainval or test (test only for 2007, whose test annotations are public).</param>
/// <param name="Protocol">How images become single-label examples.</param>
/// <param name="CropContext">For the crop protocols: the fraction of the box's width and height added on each side, clipped to the image; 0 to 1.</param>
public sealed record VocOptions(string Root, int Year, string Split, VocProtocol Protocol = VocProtocol.DominantObject, double CropContext = 0);

/// <summary>A problem found in a dataset: the file at fault, and a message that names the fix.</summary>
public sealed record DatasetProblem(string FilePath, string Message);

/// <summary>
/// PASCAL VOC 2007 and 2012 as single-label classification. The dominant-object protocol is the default
/// because it keeps image-level evaluation (one prediction per test image, as the paper's Table 2 reports) and
/// uses every image that has a non-difficult object. The largest object also covers most of the pixels that a
/// whole-image classifier receives.
/// </summary>
public static class VocDataset
{
    /// <summary>The 20 object classes, in VOC's order.</summary>
    public static IReadOnlyList<string> ObjectClasses { get; } =
    [
        "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
        "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor",
    ];

    /// <summary>The 10 VOC2012 action classes ("other" is not one of them).</summary>
    public static IReadOnlyList<string> ActionClasses { get; } =
    [
        "jumping", "phoning", "playinginstrument", "reading", "ridingbike", "ridinghorse", "running", "takingphoto", "usingcomputer", "walking",
    ];

    private static readonly string[] Splits = ["train", "val", "trainval", "test"];

    /// <summary>Loads a split, or throws a <see cref="DatasetException"/> listing the problems found.</summary>
    public static DatasetSplit Load(VocOptions options)
    {
        var (split, problems) = Inspect(options);
        if (problems.Count > 0)
        {
            var first = problems.Take(5).Select(p => p.Message);
            throw new DatasetException(problems[0].FilePath,
                $"{split.Name} has {problems.Count} problem(s):{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", first)}"
                + (problems.Count > 5 ? $"{Environment.NewLine}  ... and {problems.Count - 5} more; 'reprokit data verify' lists them all." : string.Empty));
        }

        return split;
    }

    /// <summary>
    /// Loads a split and collects every problem instead of stopping at the first: unreadable or malformed annotations,
    /// unknown class names, ids without an image, duplicate ids, an empty list. Items with a problem are left out.
    /// </summary>
    /// <exception cref="DatasetException">The dataset folder, the split or the split list cannot be found at all.</exception>
    public static (DatasetSplit Split, IReadOnlyList<DatasetProblem> Problems) Inspect(VocOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string folder = FindYearFolder(options.Root, options.Year);
        ValidateOptions(options, folder);

        string listPath = ListPath(folder, options);
        var problems = new List<DatasetProblem>();
        var warnings = new List<string>();
        var ids = ReadIdList(listPath, problems);
        var classes = options.Protocol == VocProtocol.Actions ? ActionClasses : ObjectClasses;
        var items = new List<DatasetItem>();
        int onlyDifficult = 0, otherAction = 0, severalActions = 0;

        foreach (var (id, line) in ids)
        {
            string image = Path.Combine(folder, "JPEGImages", id + ".jpg");
            string annotationPath = Path.Combine(folder, "Annotations", id + ".xml");
            if (!File.Exists(image))
            {
                problems.Add(new DatasetProblem(listPath, $"{listPath}, line {line}: id {id} has no image {image}. Re-extract the archive, or remove the id from the list."));
                continue;
            }

            VocAnnotation annotation;
            try
            {
                annotation = VocAnnotation.Parse(annotationPath);
            }
            catch (DatasetException e)
            {
                problems.Add(new DatasetProblem(e.FilePath, e.Message));
                continue;
            }

            var unknown = annotation.Objects.Select(o => o.Name).Where(n => !ObjectClasses.Contains(n)).Distinct().ToList();
            if (unknown.Count > 0)
            {
                problems.Add(new DatasetProblem(annotationPath, $"{annotationPath}: unknown class name(s) {string.Join(", ", unknown.Select(n => $"'{n}'"))}. VOC's classes are: {string.Join(", ", ObjectClasses)}. Correct the <name> element."));
                continue;
            }

            switch (options.Protocol)
            {
                case VocProtocol.DominantObject:
                    var dominant = annotation.Objects.Where(o => !o.Difficult).OrderByDescending(o => o.Box.Area).FirstOrDefault();
                    if (dominant is null)
                    {
                        onlyDifficult++;
                        continue;
                    }

                    items.Add(new DatasetItem(image, IndexOf(ObjectClasses, dominant.Name), id));
                    break;
                case VocProtocol.ObjectCrops:
                    int index = 0;
                    foreach (var o in annotation.Objects)
                    {
                        index++;
                        if (!o.Difficult)
                        {
                            items.Add(new DatasetItem(image, IndexOf(ObjectClasses, o.Name), $"{id}#{index}", WithContext(o.Box, options.CropContext, annotation)));
                        }
                    }

                    break;
                case VocProtocol.Actions:
                    int person = 0;
                    foreach (var o in annotation.Objects.Where(o => o.Name == "person"))
                    {
                        person++;
                        var actions = o.Actions.Where(a => ActionClasses.Contains(a)).ToList();
                        if (actions.Count == 0)
                        {
                            otherAction += o.Actions.Count > 0 ? 1 : 0;
                            continue;
                        }

                        if (actions.Count > 1)
                        {
                            severalActions++;
                            continue;
                        }

                        items.Add(new DatasetItem(image, IndexOf(ActionClasses, actions[0]), $"{id}#person{person}", WithContext(o.Box, options.CropContext, annotation)));
                    }

                    break;
            }
        }

        if (onlyDifficult > 0)
        {
            warnings.Add($"{onlyDifficult} image(s) have only difficult objects and were left out (the dominant-object protocol skips difficult objects).");
        }

        if (otherAction > 0)
        {
            warnings.Add($"{otherAction} person box(es) are labelled only 'other' and were left out.");
        }

        if (severalActions > 0)
        {
            warnings.Add($"{severalActions} person box(es) have more than one action and were left out, because each example needs a single label.");
        }

        string name = $"VOC{options.Year} {options.Split} ({Describe(options.Protocol)})";
        if (items.Count == 0 && problems.Count == 0)
        {
            problems.Add(new DatasetProblem(listPath, $"{listPath}: the split has no usable examples ({ids.Count} ids listed). Check that the archive was extracted completely and that the protocol fits the split."));
        }

        return (new DatasetSplit(name, classes, items, warnings), problems);
    }

    /// <summary>
    /// Checks VOC's per-class lists (ImageSets/Main/CLASS_SPLIT.txt, lines "id label") against the annotations:
    /// 1 means the image has a non-difficult object of the class, 0 that it has only difficult ones, -1 that it
    /// has none. Missing lists are not a problem; mismatches and unknown ids are.
    /// </summary>
    public static IReadOnlyList<DatasetProblem> CheckClassLists(VocOptions options)
    {
        string folder = FindYearFolder(options.Root, options.Year);
        var problems = new List<DatasetProblem>();
        var annotations = new Dictionary<string, VocAnnotation?>(StringComparer.Ordinal);
        foreach (string className in ObjectClasses)
        {
            string list = Path.Combine(folder, "ImageSets", "Main", $"{className}_{options.Split}.txt");
            if (!File.Exists(list))
            {
                continue;
            }

            int line = 0;
            foreach (string raw in File.ReadLines(list))
            {
                line++;
                string[] fields = raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length == 0)
                {
                    continue;
                }

                if (fields.Length != 2 || !int.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int label) || label is < -1 or > 1)
                {
                    problems.Add(new DatasetProblem(list, $"{list}, line {line}: expected 'id label' with label -1, 0 or 1, found '{raw.Trim()}'."));
                    continue;
                }

                string id = fields[0];
                if (!annotations.TryGetValue(id, out var annotation))
                {
                    string path = Path.Combine(folder, "Annotations", id + ".xml");
                    try
                    {
                        annotation = File.Exists(path) ? VocAnnotation.Parse(path) : null;
                    }
                    catch (DatasetException)
                    {
                        annotation = null; // reported by Inspect
                    }

                    annotations[id] = annotation;
                }

                if (annotation is null)
                {
                    if (!File.Exists(Path.Combine(folder, "Annotations", id + ".xml")))
                    {
                        problems.Add(new DatasetProblem(list, $"{list}, line {line}: image {id} has no annotation {Path.Combine(folder, "Annotations", id + ".xml")}. Re-extract the archive, or remove the line."));
                    }

                    continue; // a malformed annotation is reported by Inspect
                }

                var ofClass = annotation.Objects.Where(o => o.Name == className).ToList();
                int actual = -1;
                if (ofClass.Any(o => !o.Difficult))
                {
                    actual = 1;
                }
                else if (ofClass.Count > 0)
                {
                    actual = 0;
                }

                if (actual != label)
                {
                    problems.Add(new DatasetProblem(list, $"{list}, line {line}: image {id} is marked {label} for {className}, but its annotation says {actual} (1: a non-difficult {className}, 0: only difficult ones, -1: none)."));
                }
            }
        }

        return problems;
    }

    /// <summary>Finds ROOT/VOCdevkit/VOCyyyy, ROOT/VOCyyyy or ROOT itself, whichever contains Annotations.</summary>
    public static string FindYearFolder(string root, int year)
    {
        if (year is not (2007 or 2012))
        {
            throw new ArgumentException($"VOC year {year} is not supported. Use 2007 or 2012.");
        }

        string name = $"VOC{year}";
        root = Path.GetFullPath(root);

        // ROOT itself only when it is named for the year, so a VOC2012 folder is never read as VOC2007.
        string[] candidates = string.Equals(Path.GetFileName(Path.TrimEndingDirectorySeparator(root)), name, StringComparison.OrdinalIgnoreCase)
            ? [root]
            : [Path.Combine(root, "VOCdevkit", name), Path.Combine(root, name)];
        return candidates.FirstOrDefault(c => Directory.Exists(Path.Combine(c, "Annotations")) && Directory.Exists(Path.Combine(c, "ImageSets")))
            ?? throw new DatasetException(root,
                $"No {name} dataset under '{root}': expected {Path.Combine(root, "VOCdevkit", name)} with Annotations, ImageSets and JPEGImages. Run data-scripts/fetch-voc{year}.sh, or pass the folder that contains VOCdevkit.");
    }

    private static void ValidateOptions(VocOptions options, string folder)
    {
        if (!Splits.Contains(options.Split))
        {
            throw new ArgumentException($"VOC split '{options.Split}' does not exist. Choose one of: {string.Join(", ", Splits)}.");
        }

        if (options.Year == 2012 && options.Split == "test")
        {
            throw new ArgumentException("VOC2012's test annotations are not public, so its test split cannot be scored. Use val, and train on train.");
        }

        if (options.Protocol == VocProtocol.Actions && options.Year != 2012)
        {
            throw new ArgumentException("The actions protocol needs VOC2012; VOC2007 has no action annotations.");
        }

        if (!(options.CropContext >= 0 && options.CropContext <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"The crop context is {options.CropContext}, but it must be between 0 and 1 (a fraction of the box size added on each side).");
        }

        if (!Directory.Exists(Path.Combine(folder, "JPEGImages")))
        {
            throw new DatasetException(folder, $"{folder} has no JPEGImages folder. Re-extract the dataset archive.");
        }
    }

    private static string ListPath(string folder, VocOptions options)
    {
        string list = Path.Combine(folder, "ImageSets", options.Protocol == VocProtocol.Actions ? "Action" : "Main", options.Split + ".txt");
        return File.Exists(list)
            ? list
            : throw new DatasetException(list, $"The split list {list} is missing. Re-extract the dataset archive{(options.Split == "test" ? " (VOC2007's test split comes in its own archive, VOCtest_06-Nov-2007.tar)" : string.Empty)}.");
    }

    // Split lists have one id per line (action lists may add more columns); CRLF line ends and blank lines occur.
    private static List<(string Id, int Line)> ReadIdList(string listPath, List<DatasetProblem> problems)
    {
        var ids = new List<(string, int)>();
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        int line = 0;
        foreach (string raw in File.ReadLines(listPath))
        {
            line++;
            string[] fields = raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
            {
                continue;
            }

            string id = fields[0];
            if (firstLine.TryGetValue(id, out int earlier))
            {
                problems.Add(new DatasetProblem(listPath, $"{listPath}, line {line}: id {id} is listed again (first on line {earlier}). Remove the duplicate line."));
                continue;
            }

            firstLine[id] = line;
            ids.Add((id, line));
        }

        if (ids.Count == 0)
        {
            problems.Add(new DatasetProblem(listPath, $"{listPath} lists no ids. Re-extract the dataset archive, or choose another split."));
        }

        return ids;
    }

    private static BoundingBox WithContext(BoundingBox box, double context, VocAnnotation annotation)
    {
        double dx = (box.XMax - box.XMin) * context, dy = (box.YMax - box.YMin) * context;
        double maxX = annotation.Width > 0 ? annotation.Width : double.MaxValue;
        double maxY = annotation.Height > 0 ? annotation.Height : double.MaxValue;
        return new BoundingBox(Math.Max(0, box.XMin - dx), Math.Max(0, box.YMin - dy), Math.Min(maxX, box.XMax + dx), Math.Min(maxY, box.YMax + dy));
    }

    private static int IndexOf(IReadOnlyList<string> classes, string name)
    {
        for (int i = 0; i < classes.Count; i++)
        {
            if (classes[i] == name)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"'{name}' is not a class; this is checked before, so it is a bug.");
    }

    private static string Describe(VocProtocol protocol) => protocol switch
    {
        VocProtocol.DominantObject => "dominant object",
        VocProtocol.ObjectCrops => "object crops",
        VocProtocol.Actions => "actions",
        _ => protocol.ToString(),
    };
}
