using ReproKit.Datasets;

namespace ReproKit.Tests.Datasets;

/// <summary>The VOC protocols on real VOC 2007 annotations and on written ones for the odd cases.</summary>
public sealed class VocDatasetTests : IDisposable
{
    private readonly VocTree tree = new();

    public void Dispose() => tree.Dispose();

    [RealVocFact]
    public void DominantObject_RealImages()
    {
        tree.CopyReal("000001", "000002", "000003", "000252");
        tree.WriteList("Main/train.txt", "000001", "000002", "000003", "000252");

        var split = VocDataset.Load(tree.Options("train"));

        // Areas from the bndbox elements of the real annotations.
        double dog1 = (195 - 48) * (371 - 240), person1 = (352 - 8) * (498 - 12);
        double sofa3 = (215 - 123) * (195 - 155), chair3 = (307 - 239) * (205 - 156);
        double car252 = (297 - 194) * (241 - 168), bus252 = (283 - 147) * (224 - 54), person252 = (266 - 239) * (135 - 112);
        Assert.True(person1 > dog1);
        Assert.True(sofa3 > chair3);
        Assert.True(bus252 > car252);
        Assert.True(bus252 > person252);

        Assert.Equal(["000001", "000002", "000003", "000252"], split.Items.Select(i => i.Id));
        Assert.Equal(["person", "train", "sofa", "bus"], split.Items.Select(i => split.ClassNames[i.Label]));
        Assert.All(split.Items, i => Assert.Null(i.Box));
        Assert.Equal(tree.ImagePath("000001"), split.Items[0].ImagePath);
        Assert.Equal(VocDataset.ObjectClasses, split.ClassNames);
        Assert.Empty(split.Warnings);
        Assert.Equal("VOC2007 train (dominant object)", split.Name);
    }

    [RealVocFact]
    public void DominantObject_RealDifficultSkipped()
    {
        tree.CopyReal("000005", "000254");
        tree.WriteList("Main/val.txt", "000005", "000254");

        var split = VocDataset.Load(tree.Options("val"));

        Assert.Equal(["chair", "car"], split.Items.Select(i => split.ClassNames[i.Label]));
        Assert.Empty(split.Warnings);
    }

    [Fact]
    public void DominantObject_LargerDifficultIgnored()
    {
        tree.WriteAnnotation("000010", VocXml.Annotation(
            500,
            400,
            VocXml.Object("person", 1, 1, 480, 390, difficult: true),
            VocXml.Object("cat", 100, 100, 150, 140)));
        tree.WriteList("Main/train.txt", "000010");

        var split = VocDataset.Load(tree.Options("train"));

        var item = Assert.Single(split.Items);
        Assert.Equal("cat", split.ClassNames[item.Label]);
    }

    [Fact]
    public void DominantObject_SingleObject()
    {
        tree.WriteAnnotation("000011", VocXml.Annotation(100, 100, VocXml.Object("bottle", 10, 10, 20, 60)));
        tree.WriteList("Main/train.txt", "000011");

        var split = VocDataset.Load(tree.Options("train"));

        var item = Assert.Single(split.Items);
        Assert.Equal("bottle", split.ClassNames[item.Label]);
        Assert.Equal("000011", item.Id);
    }

    [Fact]
    public void DominantObject_OnlyDifficultWarns()
    {
        tree.WriteAnnotation("000020", VocXml.Annotation(
            300,
            200,
            VocXml.Object("boat", 10, 10, 100, 100, difficult: true),
            VocXml.Object("bird", 120, 10, 150, 40, difficult: true)));
        tree.WriteAnnotation("000021", VocXml.Annotation(300, 200, VocXml.Object("cow", 10, 10, 200, 150)));
        tree.WriteList("Main/train.txt", "000020", "000021");

        var split = VocDataset.Load(tree.Options("train"));

        var item = Assert.Single(split.Items);
        Assert.Equal("000021", item.Id);
        var warning = Assert.Single(split.Warnings);
        Assert.Contains("1 image(s) have only difficult objects", warning);
    }

    [RealVocFact]
    public void ObjectCrops_RealBoxes()
    {
        tree.CopyReal("000001", "000005");
        tree.WriteList("Main/trainval.txt", "000001", "000005");

        var split = VocDataset.Load(tree.Options("trainval", VocProtocol.ObjectCrops));

        // 000005's third and fifth chairs are difficult, so they give no crop.
        Assert.Equal(["000001#1", "000001#2", "000005#1", "000005#2", "000005#4"], split.Items.Select(i => i.Id));
        Assert.Equal(["dog", "person", "chair", "chair", "chair"], split.Items.Select(i => split.ClassNames[i.Label]));
        Assert.Equal(new BoundingBox(48, 240, 195, 371), split.Items[0].Box);
        Assert.Equal(new BoundingBox(8, 12, 352, 498), split.Items[1].Box);
        Assert.Equal(new BoundingBox(263, 211, 324, 339), split.Items[2].Box);
        Assert.Equal(new BoundingBox(241, 194, 295, 299), split.Items[4].Box);
        Assert.All(split.Items, i => Assert.Equal(i.Id[..6], Path.GetFileNameWithoutExtension(i.ImagePath)));
        Assert.Equal("VOC2007 trainval (object crops)", split.Name);
    }

    [RealVocFact]
    public void ObjectCrops_ContextClippedToImage()
    {
        tree.CopyReal("000001");
        tree.WriteList("Main/train.txt", "000001");

        var split = VocDataset.Load(tree.Options("train", VocProtocol.ObjectCrops, cropContext: 0.5));

        // Dog (48,240)-(195,371) is 147 x 131, so 73.5 is added left and right and 65.5 above and below.
        // Its left edge would be at -25.5 and is clipped to 0. The image is 353 x 500 (the size element).
        Assert.Equal(new BoundingBox(0, 240 - 65.5, 195 + 73.5, 371 + 65.5), split.Items[0].Box);

        // Person (8,12)-(352,498) grows past every edge of the image.
        Assert.Equal(new BoundingBox(0, 0, 353, 500), split.Items[1].Box);
    }

    [Fact]
    public void ObjectCrops_ContextInsideImage()
    {
        tree.WriteAnnotation("000030", VocXml.Annotation(400, 300, VocXml.Object("sheep", 100, 100, 140, 160)));
        tree.WriteList("Main/train.txt", "000030");

        var split = VocDataset.Load(tree.Options("train", VocProtocol.ObjectCrops, cropContext: 0.25));

        // The box is 40 x 60, so 10 is added left and right and 15 above and below.
        var item = Assert.Single(split.Items);
        Assert.Equal(new BoundingBox(90, 85, 150, 175), item.Box);
    }

    [Fact]
    public void ObjectCrops_ContextOutOfRangeRejected()
    {
        tree.WriteList("Main/train.txt", "000001");

        Assert.Throws<ArgumentOutOfRangeException>(() => VocDataset.Load(tree.Options("train", VocProtocol.ObjectCrops, cropContext: 1.5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => VocDataset.Load(tree.Options("train", VocProtocol.ObjectCrops, cropContext: -0.1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => VocDataset.Load(tree.Options("train", VocProtocol.ObjectCrops, cropContext: double.NaN)));
    }

    [Fact]
    public void Actions_OneLabelPerPerson()
    {
        using var tree2012 = new VocTree(2012);
        tree2012.WriteAnnotation("2012_000001", $"""
            <annotation>
              <filename>2012_000001.jpg</filename>
              <size><width>500</width><height>375</height><depth>3</depth></size>
              <object>
                <name>person</name>
                <bndbox><xmin>10</xmin><ymin>20</ymin><xmax>110</xmax><ymax>220</ymax></bndbox>
                {ActionsElement("jumping")}
              </object>
              <object>
                <name>person</name>
                <bndbox><xmin>120</xmin><ymin>20</ymin><xmax>200</xmax><ymax>220</ymax></bndbox>
                {ActionsElement("other")}
              </object>
              <object>
                <name>person</name>
                <bndbox><xmin>210</xmin><ymin>20</ymin><xmax>300</xmax><ymax>220</ymax></bndbox>
                {ActionsElement("jumping", "phoning")}
              </object>
              <object>
                <name>person</name>
                {ActionsElement("phoning")}
                <part>
                  <name>head</name>
                  <bndbox><xmin>330</xmin><ymin>30</ymin><xmax>360</xmax><ymax>70</ymax></bndbox>
                </part>
                <part>
                  <name>hand</name>
                  <bndbox><xmin>350</xmin><ymin>60</ymin><xmax>365</xmax><ymax>80</ymax></bndbox>
                </part>
                <bndbox><xmin>310</xmin><ymin>25</ymin><xmax>400</xmax><ymax>300</ymax></bndbox>
              </object>
            </annotation>
            """);
        tree2012.WriteList("Action/train.txt", "2012_000001");

        var split = VocDataset.Load(tree2012.Options("train", VocProtocol.Actions));

        Assert.Equal(VocDataset.ActionClasses, split.ClassNames);
        Assert.Equal(["2012_000001#person1", "2012_000001#person4"], split.Items.Select(i => i.Id));
        Assert.Equal(["jumping", "phoning"], split.Items.Select(i => split.ClassNames[i.Label]));
        Assert.Equal(new BoundingBox(10, 20, 110, 220), split.Items[0].Box);
        Assert.Equal(new BoundingBox(310, 25, 400, 300), split.Items[1].Box);
        Assert.Equal(2, split.Warnings.Count);
        Assert.Contains(split.Warnings, w => w.Contains("1 person box(es) are labelled only 'other'", StringComparison.Ordinal));
        Assert.Contains(split.Warnings, w => w.Contains("1 person box(es) have more than one action", StringComparison.Ordinal));
        Assert.Equal("VOC2012 train (actions)", split.Name);
    }

    [Fact]
    public void Actions_On2007Rejected()
    {
        tree.WriteList("Main/train.txt", "000001");

        var error = Assert.Throws<ArgumentException>(() => VocDataset.Load(tree.Options("train", VocProtocol.Actions)));

        Assert.Contains("VOC2012", error.Message);
    }

    [Fact]
    public void Load_2012TestRejected()
    {
        using var tree2012 = new VocTree(2012);
        tree2012.WriteList("Main/test.txt", "2012_000001");

        var error = Assert.Throws<ArgumentException>(() => VocDataset.Load(tree2012.Options("test")));

        Assert.Contains("test annotations are not public", error.Message);
        Assert.Contains("Use val", error.Message);
    }

    [Fact]
    public void Load_UnknownSplitRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => VocDataset.Load(tree.Options("Train")));

        Assert.Contains("'Train'", error.Message);
        Assert.Contains("train, val, trainval, test", error.Message);
    }

    [Fact]
    public void Load_UnsupportedYearRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => VocDataset.Load(new VocOptions(tree.Root, 2010, "train")));

        Assert.Contains("2010", error.Message);
        Assert.Contains("Use 2007 or 2012", error.Message);
    }

    [Fact]
    public void FindYearFolder_ThreeRootForms()
    {
        string devkit = Path.Combine(tree.Root, "VOCdevkit");

        Assert.Equal(tree.YearFolder, VocDataset.FindYearFolder(tree.Root, 2007));
        Assert.Equal(tree.YearFolder, VocDataset.FindYearFolder(devkit, 2007));
        Assert.Equal(tree.YearFolder, VocDataset.FindYearFolder(tree.YearFolder, 2007));
    }

    [Fact]
    public void FindYearFolder_MissingYearNamesScript()
    {
        var error = Assert.Throws<DatasetException>(() => VocDataset.FindYearFolder(tree.Root, 2012));

        Assert.Equal(tree.Root, error.FilePath);
        Assert.Contains("No VOC2012 dataset", error.Message);
        Assert.Contains("data-scripts/fetch-voc2012.sh", error.Message);
    }

    [Fact]
    public void Load_EmptyRootNamesScript()
    {
        using var empty = new TemporaryDirectory();

        var error = Assert.Throws<DatasetException>(() => VocDataset.Load(new VocOptions(empty.FullPath, 2007, "train")));

        Assert.Equal(empty.FullPath, error.FilePath);
        Assert.Contains(empty.FullPath, error.Message);
        Assert.Contains("data-scripts/fetch-voc2007.sh", error.Message);
    }

    [Fact]
    public void FindYearFolder_NeedsImageSets()
    {
        Directory.Delete(Path.Combine(tree.YearFolder, "ImageSets"), recursive: true);

        Assert.Throws<DatasetException>(() => VocDataset.FindYearFolder(tree.Root, 2007));
    }

    [Fact]
    public void Load_RelativeRootGivesAbsolutePaths()
    {
        tree.WriteAnnotation("000040", VocXml.Annotation(100, 100, VocXml.Object("dog", 1, 1, 50, 50)));
        tree.WriteList("Main/train.txt", "000040");
        string relativeRoot = Path.GetRelativePath(Environment.CurrentDirectory, tree.Root);

        var split = VocDataset.Load(new VocOptions(relativeRoot, 2007, "train"));

        var item = Assert.Single(split.Items);
        Assert.True(Path.IsPathFullyQualified(item.ImagePath), $"ImagePath '{item.ImagePath}' is relative.");
        Assert.Equal(tree.ImagePath("000040"), item.ImagePath);
    }

    /// <summary>Writes a VOC2012 actions element with <paramref name="set"/> flagged 1 and every other action 0.</summary>
    private static string ActionsElement(params string[] set)
    {
        string[] all = [.. VocDataset.ActionClasses, "other"];
        return "<actions>" + string.Concat(all.Select(a => $"<{a}>{(set.Contains(a) ? 1 : 0)}</{a}>")) + "</actions>";
    }
}
