namespace ReproKit.Datasets;

/// <summary>Which files the folder-based loaders treat as images.</summary>
public static class ImageFiles
{
    /// <summary>Extensions of the formats the image pipeline decodes (JPEG, PNG, BMP, GIF), lower case with the dot.</summary>
    public static IReadOnlySet<string> Extensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp", ".gif" };

    /// <summary>Whether <paramref name="path"/> has an image extension.</summary>
    public static bool IsImage(string path) => Extensions.Contains(Path.GetExtension(path));

    /// <summary>
    /// Lists the image files of a class folder, sorted ordinally, and adds one warning per other file (which is
    /// skipped). Sub-folders are not searched.
    /// </summary>
    public static List<string> List(string folder, List<string> warnings)
    {
        var images = new List<string>();
        foreach (string file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
        {
            if (IsImage(file))
            {
                images.Add(file);
            }
            else
            {
                warnings.Add($"{file} is not an image ({string.Join(", ", Extensions)}) and was skipped.");
            }
        }

        return images;
    }
}
