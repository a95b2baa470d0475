namespace ReproKit.Data;

/// <summary>
/// Fashion-MNIST, the data set of Xiao, Rasul and Vollgraf (2017) at github.com/zalandoresearch/fashion-mnist:
/// class names, official files and checksums, and finding, verifying and loading a split.
/// </summary>
public static class FashionMnist
{
    /// <summary>Number of classes. Labels are 0 to 9.</summary>
    public const int ClassCount = 10;

    /// <summary>Image height in pixels.</summary>
    public const int ImageRows = 28;

    /// <summary>Image width in pixels.</summary>
    public const int ImageColumns = 28;

    /// <summary>Number of examples in the official training split.</summary>
    public const int TrainCount = 60_000;

    /// <summary>Number of examples in the official test split.</summary>
    public const int TestCount = 10_000;

    /// <summary>Folder of Debian's dataset-fashion-mnist package, which contains all four gzip files.</summary>
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>
    /// Repository-relative folder that data-scripts/fetch-fashion-mnist.sh downloads the four files into.
    /// </summary>
    public const string DownloadedDirectory = "data/fashion-mnist-full";

    /// <summary>
    /// Repository-relative folder of the committed test split, which the build also copies into the output folder
    /// of the ReproKit assembly under the same relative path.
    /// </summary>
    public const string EmbeddedDirectory = "data/fashion-mnist";

    /// <summary>File that marks the repository root when searching upward from a folder.</summary>
    public const string SolutionFileName = "ReproKit.sln";

    private const string FetchAdvice = "download the files with data-scripts/fetch-fashion-mnist.sh";

    /// <summary>Official class names, indexed by label 0 to 9.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = Array.AsReadOnly(
    [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]);

    /// <summary>
    /// Returns the official gzip file name of one file of a split, for example "t10k-labels-idx1-ubyte.gz".
    /// The same name without ".gz" is accepted for a raw file.
    /// </summary>
    public static string GetFileName(FashionMnistSplit split, FashionMnistFileKind kind) =>
        FashionMnistFileSpec.For(split, kind).GzipFileName;

    /// <summary>
    /// Finds the image and label files of a split. With <paramref name="userDirectory"/> set, only that folder is
    /// searched. Otherwise the search order is the repository's data/fashion-mnist-full, then Debian's
    /// /usr/share/datasets/fashion-mnist, then for the test split only the embedded copy
    /// (<see cref="FindEmbeddedDirectory"/>). In every folder the gzip name is tried first, then the raw name.
    /// </summary>
    /// <param name="split">The split to find.</param>
    /// <param name="userDirectory">A folder that must contain both files of the split, or null to search.</param>
    /// <returns>
    /// The files and their source, or null when <paramref name="userDirectory"/> is null and no searched folder
    /// contains the training split.
    /// </returns>
    /// <exception cref="DirectoryNotFoundException"><paramref name="userDirectory"/> does not exist.</exception>
    /// <exception cref="FileNotFoundException">
    /// <paramref name="userDirectory"/> lacks a file of the split, a searched folder contains only one of the two
    /// files, or the test split is found nowhere, not even in the embedded copy.
    /// </exception>
    public static FashionMnistLocation? Locate(FashionMnistSplit split, string? userDirectory)
    {
        if (userDirectory is not null)
        {
            return LocateInUserDirectory(split, userDirectory);
        }

        return LocateIn(split, DefaultSearchOrder(split));
    }

    /// <summary>
    /// Searches <paramref name="searchOrder"/> for a split. Folders that do not exist or contain neither file are
    /// skipped. Only a missing test split is an error, because the caller relies on the embedded copy.
    /// </summary>
    internal static FashionMnistLocation? LocateIn(
        FashionMnistSplit split,
        IReadOnlyList<(string Directory, FashionMnistSource Source)> searchOrder)
    {
        foreach (var (directory, source) in searchOrder)
        {
            var location = FindInDirectory(split, directory, source);
            if (location is not null)
            {
                return location;
            }
        }

        if (split == FashionMnistSplit.Train)
        {
            return null;
        }

        string searched = string.Join(", ", searchOrder.Select(entry => $"'{entry.Directory}'"));
        throw new FileNotFoundException(
            $"The Fashion-MNIST test split was not found in any of {searched}. The build copies it from the repository's {EmbeddedDirectory} into the output folder, so rebuild ReproKit, pass a folder that contains {GetFileName(split, FashionMnistFileKind.Images)} and {GetFileName(split, FashionMnistFileKind.Labels)}, or {FetchAdvice}.");
    }

    /// <summary>
    /// Returns the repository root: the first folder containing ReproKit.sln, searching upward from the current
    /// directory and then from the folder of the ReproKit assembly. Returns null when neither search finds one,
    /// as for an installed copy run outside the repository.
    /// </summary>
    public static string? FindRepositoryRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AssemblyDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
                {
                    return directory.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Returns the folder of the embedded test split: data/fashion-mnist beside the ReproKit assembly, where the
    /// build copies it, or else the repository's data/fashion-mnist. Returns null when neither contains both test
    /// files.
    /// </summary>
    public static string? FindEmbeddedDirectory()
    {
        foreach (string directory in EmbeddedCandidates())
        {
            if (FindFile(directory, FashionMnistSplit.Test, FashionMnistFileKind.Images) is not null
                && FindFile(directory, FashionMnistSplit.Test, FashionMnistFileKind.Labels) is not null)
            {
                return directory;
            }
        }

        return null;
    }

    /// <summary>
    /// Reads a split and checks it: images are 28x28, labels are 0 to 9, and both files contain the same number of
    /// examples. The count is not compared with <see cref="TrainCount"/> or <see cref="TestCount"/>, but the
    /// checksums pin it when <paramref name="verifyChecksums"/> is true.
    /// </summary>
    /// <param name="location">The two files, from <see cref="Locate"/> or built by the caller.</param>
    /// <param name="verifyChecksums">
    /// True (the default) to require the official MD5 of each file, see <see cref="VerifyChecksum"/>. False
    /// skips that check, for a subset or a modified copy.
    /// </param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is damaged, or the files do not match each other or the checksums.</exception>
    public static FashionMnistData Load(FashionMnistLocation location, bool verifyChecksums = true)
    {
        ArgumentNullException.ThrowIfNull(location);

        IdxImages images = IdxReader.ReadImages(location.ImagesPath);
        byte[] labels = IdxReader.ReadLabels(location.LabelsPath, ClassCount);

        if (images.Rows != ImageRows || images.Columns != ImageColumns)
        {
            throw new InvalidDataException(
                $"'{location.ImagesPath}' contains {images.Rows}x{images.Columns} images, but Fashion-MNIST images are {ImageRows}x{ImageColumns}. Pass the Fashion-MNIST image file, or {FetchAdvice}.");
        }

        if (images.Count != labels.Length)
        {
            throw new InvalidDataException(
                $"'{location.ImagesPath}' contains {images.Count} images, but '{location.LabelsPath}' contains {labels.Length} labels. Both files must come from the same split, so {FetchAdvice}.");
        }

        if (verifyChecksums)
        {
            VerifyChecksum(location.ImagesPath, location.Split, FashionMnistFileKind.Images);
            VerifyChecksum(location.LabelsPath, location.Split, FashionMnistFileKind.Labels);
        }

        return new FashionMnistData(location.Split, images, labels, location);
    }

    /// <summary>
    /// Checks that a file is the official one. It passes when its MD5 equals the MD5 that Zalando publishes for
    /// the gzip file, or when the MD5 of its decompressed content equals the recorded content MD5. The second
    /// rule accepts files compressed again, such as Debian's, and raw files.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Neither MD5 matches, or the gzip stream is corrupt.</exception>
    public static void VerifyChecksum(string path, FashionMnistSplit split, FashionMnistFileKind kind)
    {
        var spec = FashionMnistFileSpec.For(split, kind);
        string fileMd5 = DataFileContent.ComputeFileMd5(path);
        if (fileMd5 == spec.GzipMd5)
        {
            return;
        }

        string contentMd5 = DataFileContent.ComputeContentMd5(path);
        if (contentMd5 == spec.ContentMd5)
        {
            return;
        }

        string found = contentMd5 == fileMd5
            ? $"its MD5 is {fileMd5}"
            : $"its MD5 is {fileMd5} and its decompressed content has MD5 {contentMd5}";
        throw new InvalidDataException(
            $"'{Path.GetFullPath(path)}' is not the official Fashion-MNIST {split.ToString().ToLowerInvariant()} {kind.ToString().ToLowerInvariant()} file: {found}, but the official {spec.GzipFileName} has MD5 {spec.GzipMd5} and its decompressed content has MD5 {spec.ContentMd5}. The file is corrupt, incomplete or from another data set, so {FetchAdvice}.");
    }

    private static FashionMnistLocation LocateInUserDirectory(FashionMnistSplit split, string userDirectory)
    {
        string directory = Path.GetFullPath(userDirectory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException(
                $"The Fashion-MNIST folder '{directory}' does not exist. Pass a folder that contains the {split.ToString().ToLowerInvariant()} split, or {FetchAdvice}.");
        }

        string? images = FindFile(directory, split, FashionMnistFileKind.Images);
        string? labels = FindFile(directory, split, FashionMnistFileKind.Labels);
        if (images is null || labels is null)
        {
            throw MissingFiles(split, directory, images, labels, "Copy the missing files there, pass another folder, or " + FetchAdvice + ".");
        }

        return new FashionMnistLocation(split, images, labels, FashionMnistSource.UserDirectory);
    }

    private static FashionMnistLocation? FindInDirectory(FashionMnistSplit split, string directory, FashionMnistSource source)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }

        string? images = FindFile(directory, split, FashionMnistFileKind.Images);
        string? labels = FindFile(directory, split, FashionMnistFileKind.Labels);
        if (images is not null && labels is not null)
        {
            return new FashionMnistLocation(split, images, labels, source);
        }

        if (images is null && labels is null)
        {
            return null;
        }

        // One file without the other usually means an interrupted download. Falling back to another source
        // would hide that, so it is an error.
        throw MissingFiles(split, directory, images, labels, "A download may have been interrupted, so " + FetchAdvice + ", or remove the incomplete folder.");
    }

    private static FileNotFoundException MissingFiles(
        FashionMnistSplit split, string directory, string? images, string? labels, string advice)
    {
        var missing = new List<string>();
        if (images is null)
        {
            missing.Add(GetFileName(split, FashionMnistFileKind.Images));
        }

        if (labels is null)
        {
            missing.Add(GetFileName(split, FashionMnistFileKind.Labels));
        }

        return new FileNotFoundException(
            $"The Fashion-MNIST folder '{directory}' lacks {string.Join(" and ", missing)} (or the same {(missing.Count == 1 ? "name" : "names")} without .gz) for the {split.ToString().ToLowerInvariant()} split. {advice}",
            Path.Combine(directory, missing[0]));
    }

    private static string? FindFile(string directory, FashionMnistSplit split, FashionMnistFileKind kind)
    {
        var spec = FashionMnistFileSpec.For(split, kind);
        foreach (string name in new[] { spec.GzipFileName, spec.RawFileName })
        {
            string path = Path.Combine(directory, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    private static List<(string Directory, FashionMnistSource Source)> DefaultSearchOrder(FashionMnistSplit split)
    {
        var order = new List<(string Directory, FashionMnistSource Source)>();
        string? repositoryRoot = FindRepositoryRoot();
        if (repositoryRoot is not null)
        {
            order.Add((Path.Combine(repositoryRoot, DownloadedDirectory), FashionMnistSource.DownloadedDirectory));
        }

        order.Add((DebianDirectory, FashionMnistSource.DebianPackage));

        if (split == FashionMnistSplit.Test)
        {
            order.AddRange(EmbeddedCandidates().Select(directory => (directory, FashionMnistSource.Embedded)));
        }

        return order;
    }

    private static List<string> EmbeddedCandidates()
    {
        var candidates = new List<string> { Path.Combine(AssemblyDirectory(), EmbeddedDirectory) };
        string? repositoryRoot = FindRepositoryRoot();
        if (repositoryRoot is not null)
        {
            candidates.Add(Path.Combine(repositoryRoot, EmbeddedDirectory));
        }

        return candidates;
    }

    private static string AssemblyDirectory()
    {
        // Location is empty when the assembly is bundled into a single-file app. The bundle's folder is then
        // the best stand-in.
        string location = typeof(FashionMnist).Assembly.Location;
        return string.IsNullOrEmpty(location) ? AppContext.BaseDirectory : Path.GetDirectoryName(location)!;
    }
}
