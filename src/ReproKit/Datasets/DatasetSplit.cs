namespace ReproKit.Datasets;

/// <summary>A rectangle in image pixels; VOC gives 1-based, possibly fractional coordinates.</summary>
public sealed record BoundingBox(double XMin, double YMin, double XMax, double YMax)
{
    /// <summary>Width times height, zero for a degenerate box.</summary>
    public double Area => Math.Max(0, XMax - XMin) * Math.Max(0, YMax - YMin);
}

/// <summary>One labelled example: an image file, its class and, for crop protocols, the region to crop.</summary>
/// <param name="ImagePath">Absolute path of the image file.</param>
/// <param name="Label">Index into the split's class names.</param>
/// <param name="Id">The dataset's own id (VOC image id, Caltech-256 relative path), for messages and split files.</param>
/// <param name="Box">Region of the image to use, or null for the whole image.</param>
public sealed record DatasetItem(string ImagePath, int Label, string Id, BoundingBox? Box = null);

/// <summary>The examples of one split, ready for the image pipeline.</summary>
/// <param name="Name">What the split is, for example "VOC2007 test (dominant object)".</param>
/// <param name="ClassNames">Class names, indexed by label.</param>
/// <param name="Items">The examples, in a stable order.</param>
/// <param name="Warnings">Problems that did not stop loading (a skipped file, an image with only difficult objects), one line each.</param>
public sealed record DatasetSplit(string Name, IReadOnlyList<string> ClassNames, IReadOnlyList<DatasetItem> Items, IReadOnlyList<string> Warnings)
{
    /// <summary>The number of examples per class, indexed by label.</summary>
    public long[] CountPerClass()
    {
        var counts = new long[ClassNames.Count];
        foreach (var item in Items)
        {
            counts[item.Label]++;
        }

        return counts;
    }
}

/// <summary>A dataset file that cannot be used: the message names the file, what is wrong and what to do.</summary>
public sealed class DatasetException : Exception
{
    /// <summary>Creates the error for <paramref name="path"/>.</summary>
    public DatasetException(string path, string message, Exception? inner = null) : base(message, inner) => FilePath = path;

    /// <summary>The file or folder at fault.</summary>
    public string FilePath { get; }
}
