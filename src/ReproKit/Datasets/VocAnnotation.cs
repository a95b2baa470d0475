using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace ReproKit.Datasets;

/// <summary>One object of a VOC annotation.</summary>
/// <param name="Name">Class name as written (object classes, or "person" for action annotations).</param>
/// <param name="Box">The object's bounding box (the object's own bndbox, never a part's).</param>
/// <param name="Difficult">The difficult flag; a missing flag counts as 0.</param>
/// <param name="Truncated">The truncated flag; a missing flag counts as 0.</param>
/// <param name="Pose">The pose, or "Unspecified" when missing.</param>
/// <param name="Actions">VOC2012 action flags set to 1 (for example "jumping"), empty when the object has none.</param>
public sealed record VocObject(string Name, BoundingBox Box, bool Difficult, bool Truncated, string Pose, IReadOnlyList<string> Actions);

/// <summary>A parsed VOC annotation file.</summary>
/// <param name="FileName">The image file name it describes (the filename element).</param>
/// <param name="Width">Image width from the size element, or 0 when missing.</param>
/// <param name="Height">Image height from the size element, or 0 when missing.</param>
/// <param name="Objects">The objects, in file order.</param>
public sealed record VocAnnotation(string FileName, int Width, int Height, IReadOnlyList<VocObject> Objects)
{
    /// <summary>
    /// Parses a VOC annotation. Real files vary, and all of these are accepted: missing difficult, truncated or
    /// pose elements, fractional coordinates, elements in any order, part children (their boxes are ignored),
    /// a single object, and actions. DTD processing is prohibited, so an annotation cannot pull in external
    /// entities.
    /// </summary>
    /// <exception cref="DatasetException">The file is not well-formed XML, or an object lacks a name or a complete bndbox.</exception>
    public static VocAnnotation Parse(string path)
    {
        XDocument document;
        try
        {
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };
            using var reader = XmlReader.Create(path, settings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new DatasetException(path, $"{path} is not valid annotation XML: {e.Message} Re-extract the dataset archive, or delete the file and remove its id from the split lists.", e);
        }
        catch (FileNotFoundException e)
        {
            throw new DatasetException(path, $"Annotation {path} is missing. Re-extract the dataset archive, or remove the id from the split list.", e);
        }

        var root = document.Root;
        if (root is null || root.Name.LocalName != "annotation")
        {
            throw new DatasetException(path, $"{path} has no <annotation> root element, so it is not a VOC annotation.");
        }

        var size = root.Element("size");
        var objects = root.Elements("object").Select(o => ParseObject(path, o)).ToList();
        return new VocAnnotation(
            (string?)root.Element("filename")?.Value.Trim() ?? string.Empty,
            ParseInt(size?.Element("width")),
            ParseInt(size?.Element("height")),
            objects);
    }

    private static VocObject ParseObject(string path, XElement element)
    {
        int line = ((IXmlLineInfo)element).LineNumber;
        string name = element.Element("name")?.Value.Trim() ?? string.Empty;
        if (name.Length == 0)
        {
            throw new DatasetException(path, $"{path}, line {line}: an <object> has no <name>. Fix or delete the annotation.");
        }

        // Only the object's own bndbox: a <part> (head, hand, foot) has its own bndbox one level further down.
        var box = element.Element("bndbox")
            ?? throw new DatasetException(path, $"{path}, line {line}: object '{name}' has no <bndbox>. Fix or delete the annotation.");
        var actions = element.Element("actions")?.Elements()
            .Where(a => a.Value.Trim() == "1")
            .Select(a => a.Name.LocalName)
            .ToList() ?? [];
        return new VocObject(
            name,
            new BoundingBox(Coordinate(path, box, "xmin"), Coordinate(path, box, "ymin"), Coordinate(path, box, "xmax"), Coordinate(path, box, "ymax")),
            Flag(element.Element("difficult")),
            Flag(element.Element("truncated")),
            element.Element("pose")?.Value.Trim() is { Length: > 0 } pose ? pose : "Unspecified",
            actions);
    }

    private static double Coordinate(string path, XElement box, string name)
    {
        string? text = box.Element(name)?.Value.Trim();
        if (text is null || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            int line = ((IXmlLineInfo)box).LineNumber;
            throw new DatasetException(path, $"{path}, line {line}: <bndbox> has {(text is null ? $"no <{name}>" : $"<{name}>{text}</{name}>, which is not a number")}. Fix or delete the annotation.");
        }

        return value;
    }

    // VOC writes flags as 0 or 1; some tools write "true"/"false" or leave the element empty.
    private static bool Flag(XElement? element) => element?.Value.Trim() is "1" or "true" or "True";

    private static int ParseInt(XElement? element) =>
        element is not null && double.TryParse(element.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? (int)value : 0;
}
