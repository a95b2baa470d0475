using System.Xml;
using ReproKit.Datasets;

namespace ReproKit.Tests.Datasets;

public sealed class VocAnnotationTests : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [RealVocFact]
    public void Parse_RealAnnotation000001()
    {
        var annotation = VocAnnotation.Parse(Path.Combine(RealVoc.YearFolder, "Annotations", "000001.xml"));

        Assert.Equal("000001.jpg", annotation.FileName);
        Assert.Equal(353, annotation.Width);
        Assert.Equal(500, annotation.Height);
        Assert.Equal(2, annotation.Objects.Count);

        var dog = annotation.Objects[0];
        Assert.Equal("dog", dog.Name);
        Assert.Equal(new BoundingBox(48, 240, 195, 371), dog.Box);
        Assert.False(dog.Difficult);
        Assert.True(dog.Truncated);
        Assert.Equal("Left", dog.Pose);
        Assert.Empty(dog.Actions);

        var person = annotation.Objects[1];
        Assert.Equal("person", person.Name);
        Assert.Equal(new BoundingBox(8, 12, 352, 498), person.Box);
        Assert.Equal((352.0 - 8) * (498 - 12), person.Box.Area);
    }

    [RealVocFact]
    public void Parse_RealDifficultFlags000005()
    {
        var annotation = VocAnnotation.Parse(Path.Combine(RealVoc.YearFolder, "Annotations", "000005.xml"));

        // 000005.xml lists five chairs, and the third and fifth are marked difficult and truncated.
        Assert.Equal(5, annotation.Objects.Count);
        Assert.All(annotation.Objects, o => Assert.Equal("chair", o.Name));
        Assert.Equal([false, false, true, false, true], annotation.Objects.Select(o => o.Difficult));
        Assert.Equal([false, false, true, false, true], annotation.Objects.Select(o => o.Truncated));
        Assert.Equal(new BoundingBox(5, 244, 67, 374), annotation.Objects[2].Box);
        Assert.Equal("Rear", annotation.Objects[0].Pose);
    }

    [Fact]
    public void Parse_MissingFlagsDefault()
    {
        string path = folder.Write("bare.xml", """
            <annotation>
              <filename>bare.jpg</filename>
              <size><width>100</width><height>80</height></size>
              <object>
                <name>cat</name>
                <bndbox><xmin>1</xmin><ymin>2</ymin><xmax>30</xmax><ymax>40</ymax></bndbox>
              </object>
            </annotation>
            """u8.ToArray());

        var annotation = VocAnnotation.Parse(path);

        var cat = Assert.Single(annotation.Objects);
        Assert.Equal("cat", cat.Name);
        Assert.False(cat.Difficult);
        Assert.False(cat.Truncated);
        Assert.Equal("Unspecified", cat.Pose);
        Assert.Equal(new BoundingBox(1, 2, 30, 40), cat.Box);
    }

    [Fact]
    public void Parse_FractionalCoordinates()
    {
        string path = folder.Write("fraction.xml", """
            <annotation>
              <size><width>200.0</width><height>150</height></size>
              <object>
                <name>dog</name>
                <difficult>0</difficult>
                <bndbox><xmin>48.5</xmin><ymin> 240.25 </ymin><xmax>195.75</xmax><ymax>371</ymax></bndbox>
              </object>
            </annotation>
            """u8.ToArray());

        var annotation = VocAnnotation.Parse(path);

        var dog = Assert.Single(annotation.Objects);
        Assert.Equal(new BoundingBox(48.5, 240.25, 195.75, 371), dog.Box);
        Assert.Equal((195.75 - 48.5) * (371 - 240.25), dog.Box.Area);
        Assert.Equal(200, annotation.Width);
        Assert.Equal(150, annotation.Height);
    }

    [Fact]
    public void Parse_ElementsInAnyOrder()
    {
        string path = folder.Write("order.xml", """
            <annotation>
              <object>
                <bndbox><ymax>90</ymax><xmax>70</xmax><ymin>20</ymin><xmin>10</xmin></bndbox>
                <difficult>1</difficult>
                <pose>Frontal</pose>
                <truncated>1</truncated>
                <name>horse</name>
              </object>
              <size><height>120</height><width>110</width></size>
              <filename>order.jpg</filename>
            </annotation>
            """u8.ToArray());

        var annotation = VocAnnotation.Parse(path);

        var horse = Assert.Single(annotation.Objects);
        Assert.Equal("horse", horse.Name);
        Assert.Equal(new BoundingBox(10, 20, 70, 90), horse.Box);
        Assert.True(horse.Difficult);
        Assert.True(horse.Truncated);
        Assert.Equal("Frontal", horse.Pose);
        Assert.Equal("order.jpg", annotation.FileName);
        Assert.Equal(110, annotation.Width);
        Assert.Equal(120, annotation.Height);
    }

    [Fact]
    public void Parse_PartBoxesIgnored()
    {
        // The parts come before the person's own bndbox, so a parser that takes the first bndbox it meets
        // anywhere below <object> would return the head's box.
        string path = folder.Write("parts.xml", """
            <annotation>
              <size><width>500</width><height>375</height></size>
              <object>
                <name>person</name>
                <part>
                  <name>head</name>
                  <bndbox><xmin>120</xmin><ymin>30</ymin><xmax>160</xmax><ymax>75</ymax></bndbox>
                </part>
                <part>
                  <name>hand</name>
                  <bndbox><xmin>90</xmin><ymin>150</ymin><xmax>110</xmax><ymax>170</ymax></bndbox>
                </part>
                <bndbox><xmin>80</xmin><ymin>25</ymin><xmax>210</xmax><ymax>360</ymax></bndbox>
                <difficult>0</difficult>
              </object>
            </annotation>
            """u8.ToArray());

        var annotation = VocAnnotation.Parse(path);

        var person = Assert.Single(annotation.Objects);
        Assert.Equal("person", person.Name);
        Assert.Equal(new BoundingBox(80, 25, 210, 360), person.Box);
    }

    [Fact]
    public void Parse_ActionFlags()
    {
        string path = folder.Write("actions.xml", """
            <annotation>
              <object>
                <name>person</name>
                <bndbox><xmin>1</xmin><ymin>1</ymin><xmax>50</xmax><ymax>90</ymax></bndbox>
                <actions>
                  <jumping>1</jumping>
                  <phoning>0</phoning>
                  <playinginstrument>0</playinginstrument>
                  <reading>0</reading>
                  <ridingbike>0</ridingbike>
                  <ridinghorse>0</ridinghorse>
                  <running>1</running>
                  <takingphoto>0</takingphoto>
                  <usingcomputer>0</usingcomputer>
                  <walking>0</walking>
                  <other>0</other>
                </actions>
              </object>
            </annotation>
            """u8.ToArray());

        var annotation = VocAnnotation.Parse(path);

        var person = Assert.Single(annotation.Objects);
        Assert.Equal(["jumping", "running"], person.Actions);
        Assert.Equal(0, annotation.Width);
        Assert.Equal(0, annotation.Height);
        Assert.Equal(string.Empty, annotation.FileName);
    }

    [RealVocFact]
    public void Parse_TruncatedFileRejected()
    {
        byte[] real = File.ReadAllBytes(Path.Combine(RealVoc.YearFolder, "Annotations", "000001.xml"));
        string path = folder.Write("000001.xml", real[..(real.Length / 2)]);

        var error = Assert.Throws<DatasetException>(() => VocAnnotation.Parse(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message);
        Assert.Contains("Re-extract the dataset archive", error.Message);
        var xmlError = Assert.IsType<XmlException>(error.InnerException);
        Assert.True(xmlError.LineNumber > 1, $"The XML error has line {xmlError.LineNumber}, expected the line where the file ends.");
    }

    [Fact]
    public void Parse_ExternalEntityRejected()
    {
        string secret = folder.Write("secret.txt", "SECRET-CONTENT-7f3a"u8.ToArray());
        string xml = $"""
            <?xml version="1.0"?>
            <!DOCTYPE annotation [<!ENTITY x SYSTEM "{new Uri(secret).AbsoluteUri}">]>
            <annotation>
              <object>
                <name>&x;</name>
                <bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox>
              </object>
            </annotation>
            """;
        string path = folder.Write("entity.xml", System.Text.Encoding.UTF8.GetBytes(xml));

        var error = Assert.Throws<DatasetException>(() => VocAnnotation.Parse(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message);
        Assert.Contains("DTD", error.Message);
        Assert.DoesNotContain("SECRET-CONTENT", error.Message);
        Assert.IsType<XmlException>(error.InnerException);
    }

    [Fact]
    public void Parse_PasswdEntityRejected()
    {
        string path = folder.Write("passwd.xml", """
            <!DOCTYPE annotation [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <annotation><object><name>&x;</name></object></annotation>
            """u8.ToArray());

        var error = Assert.Throws<DatasetException>(() => VocAnnotation.Parse(path));

        Assert.Contains(path, error.Message);
        Assert.DoesNotContain("root:", error.Message);
    }

    [Fact]
    public void Parse_InternalEntitiesRejected()
    {
        // Entity expansion ("billion laughs") needs a DTD too, so it is rejected before anything expands.
        string path = folder.Write("laughs.xml", """
            <!DOCTYPE annotation [
              <!ENTITY a "lol">
              <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
            ]>
            <annotation><filename>&b;</filename></annotation>
            """u8.ToArray());

        var error = Assert.Throws<DatasetException>(() => VocAnnotation.Parse(path));

        Assert.Equal(path, error.FilePath);
        Assert.IsType<XmlException>(error.InnerException);
    }

    [Fact]
    public void Parse_ObjectWithoutBoxRejected()
    {
        string xml = """
            <annotation>
              <size><width>10</width><height>10</height></size>
              <object>
                <name>bird</name>
                <difficult>0</difficult>
              </object>
            </annotation>
            """;
        int objectLine = LineOf(xml, "<object>");
        string path = folder.Write("nobox.xml", System.Text.Encoding.UTF8.GetBytes(xml));

        var error = Assert.Throws<DatasetException>(() => VocAnnotation.Parse(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains($"{path}, line {objectLine}", error.Message);
        Assert.Contains("'bird'", error.Message);
        Assert.Contains("<bndbox>", error.Message);
    }

    [Fact]
    public void Parse_ObjectWithoutNameRejected()
    {
        string xml = """
            <annotation>
              <object>
                <name>  </name>
                <bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox>
              </object>
            </annotation>
            """;
        string path = folder.Write("noname.xml", System.Text.Encoding.UTF8.GetBytes(xml));

        var error = Assert.Throws<DatasetException>(() => VocAnnotation.Parse(path));

        Assert.Contains($"{path}, line {LineOf(xml, "<object>")}", error.Message);
        Assert.Contains("<name>", error.Message);
    }

    [Fact]
    public void Parse_NonNumericCoordinateRejected()
    {
        string xml = """
            <annotation>
              <object>
                <name>boat</name>
                <bndbox>
                  <xmin>1</xmin><ymin>abc</ymin><xmax>2</xmax><ymax>2</ymax>
                </bndbox>
              </object>
            </annotation>
            """;
        string path = folder.Write("nan.xml", System.Text.Encoding.UTF8.GetBytes(xml));

        var error = Assert.Throws<DatasetException>(() => VocAnnotation.Parse(path));

        Assert.Contains($"{path}, line {LineOf(xml, "<bndbox>")}", error.Message);
        Assert.Contains("<ymin>abc</ymin>", error.Message);
    }

    [Fact]
    public void Parse_MissingCoordinateRejected()
    {
        string path = folder.Write("nox.xml", """
            <annotation>
              <object>
                <name>boat</name>
                <bndbox><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox>
              </object>
            </annotation>
            """u8.ToArray());

        var error = Assert.Throws<DatasetException>(() => VocAnnotation.Parse(path));

        Assert.Contains("no <xmin>", error.Message);
    }

    [Fact]
    public void Parse_WrongRootRejected()
    {
        string path = folder.Write("other.xml", "<svg><object/></svg>"u8.ToArray());

        var error = Assert.Throws<DatasetException>(() => VocAnnotation.Parse(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("<annotation>", error.Message);
    }

    [Fact]
    public void Parse_MissingFileRejected()
    {
        string path = folder.Combine("absent.xml");

        var error = Assert.Throws<DatasetException>(() => VocAnnotation.Parse(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message);
        Assert.Contains("missing", error.Message);
    }

    /// <summary>Returns the 1-based line of the first occurrence of <paramref name="text"/>.</summary>
    private static int LineOf(string xml, string text) =>
        Array.FindIndex(xml.Split('\n'), line => line.Contains(text, StringComparison.Ordinal)) + 1;
}
