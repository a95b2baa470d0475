using ReproKit.Datasets;

namespace ReproKit.Tests.Datasets;

/// <summary>
/// A VOCdevkit/VOCyyyy tree in a temporary folder. Each test fills it with only the annotations, images and
/// split lists it needs, so the shared real files are never modified.
/// </summary>
internal sealed class VocTree : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    public VocTree(int year = 2007)
    {
        Year = year;
        YearFolder = folder.Combine("VOCdevkit", $"VOC{year}");
        Directory.CreateDirectory(Path.Combine(YearFolder, "Annotations"));
        Directory.CreateDirectory(Path.Combine(YearFolder, "ImageSets", "Main"));
        Directory.CreateDirectory(Path.Combine(YearFolder, "JPEGImages"));
    }

    public int Year { get; }

    /// <summary>The folder that contains VOCdevkit.</summary>
    public string Root => folder.FullPath;

    /// <summary>ROOT/VOCdevkit/VOCyyyy.</summary>
    public string YearFolder { get; }

    public string AnnotationPath(string id) => Path.Combine(YearFolder, "Annotations", id + ".xml");

    public string ImagePath(string id) => Path.Combine(YearFolder, "JPEGImages", id + ".jpg");

    /// <summary>Returns the path of <paramref name="relativePath"/> under ImageSets, for example "Main/train.txt".</summary>
    public string ListPath(string relativePath) => Path.Combine([YearFolder, "ImageSets", .. relativePath.Split('/')]);

    /// <summary>Copies the real annotations and images of <paramref name="ids"/>, byte for byte.</summary>
    public void CopyReal(params string[] ids)
    {
        foreach (string id in ids)
        {
            File.Copy(Path.Combine(RealVoc.YearFolder, "Annotations", id + ".xml"), AnnotationPath(id));
            File.Copy(Path.Combine(RealVoc.YearFolder, "JPEGImages", id + ".jpg"), ImagePath(id));
        }
    }

    /// <summary>Writes an annotation and, unless <paramref name="withImage"/> is false, a stand-in image.</summary>
    public string WriteAnnotation(string id, string xml, bool withImage = true)
    {
        string path = AnnotationPath(id);
        File.WriteAllText(path, xml);
        if (withImage)
        {
            WriteImage(id);
        }

        return path;
    }

    /// <summary>Writes a stand-in JPEG. The loaders only check that the file exists.</summary>
    public void WriteImage(string id) => File.WriteAllBytes(ImagePath(id), [0xFF, 0xD8, 0xFF, 0xD9]);

    /// <summary>Writes a list under ImageSets with CRLF line ends, as the official lists have, and returns its path.</summary>
    public string WriteList(string relativePath, params string[] lines)
    {
        string path = ListPath(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Concat(lines.Select(line => line + "\r\n")));
        return path;
    }

    public VocOptions Options(string split, VocProtocol protocol = VocProtocol.DominantObject, double cropContext = 0) =>
        new(Root, Year, split, protocol, cropContext);

    public void Dispose() => folder.Dispose();
}

/// <summary>Builds small VOC annotation files for the synthetic cases.</summary>
internal static class VocXml
{
    public static string Annotation(int width, int height, params string[] objects) =>
        $"""
        <annotation>
          <folder>VOC2007</folder>
          <filename>image.jpg</filename>
          <size>
            <width>{width}</width>
            <height>{height}</height>
            <depth>3</depth>
          </size>
          <segmented>0</segmented>
        {string.Join("\n", objects)}
        </annotation>
        """;

    public static string Object(string name, int xmin, int ymin, int xmax, int ymax, bool difficult = false) =>
        $"""
          <object>
            <name>{name}</name>
            <pose>Unspecified</pose>
            <truncated>0</truncated>
            <difficult>{(difficult ? 1 : 0)}</difficult>
            <bndbox>
              <xmin>{xmin}</xmin>
              <ymin>{ymin}</ymin>
              <xmax>{xmax}</xmax>
              <ymax>{ymax}</ymax>
            </bndbox>
          </object>
        """;
}

/// <summary>
/// Unmodified PASCAL VOC 2007 files kept outside the repository: 9 annotations with their images and the full
/// official ImageSets lists (CRLF line ends).
/// </summary>
internal static class RealVoc
{
    /// <summary>The ids whose annotation and image are present.</summary>
    public static readonly string[] Ids = ["000001", "000002", "000003", "000004", "000005", "000252", "000253", "000254", "000255"];

    /// <summary>VOCdevkit/VOC2007 of the shared files: ../shared beside the repository, or shared/ inside it.</summary>
    public static string YearFolder { get; } = FindYearFolder();

    public static bool Exists => Directory.Exists(YearFolder);

    private static string FindYearFolder()
    {
        string[] candidates =
        [
            Path.GetFullPath(Path.Combine(RepositoryPaths.Root, "..", "shared", "fixtures", "voc2007-real", "VOCdevkit", "VOC2007")),
            Path.Combine(RepositoryPaths.Root, "shared", "fixtures", "voc2007-real", "VOCdevkit", "VOC2007"),
        ];
        return candidates.FirstOrDefault(Directory.Exists) ?? candidates[0];
    }
}

/// <summary>A fact that reads the real VOC 2007 files, skipped where they are not present.</summary>
internal sealed class RealVocFactAttribute : FactAttribute
{
    public RealVocFactAttribute()
    {
        if (!RealVoc.Exists)
        {
            Skip = $"The real VOC 2007 test files are missing from {RealVoc.YearFolder}.";
        }
    }
}
