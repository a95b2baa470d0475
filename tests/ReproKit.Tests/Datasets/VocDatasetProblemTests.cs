using ReproKit.Datasets;

namespace ReproKit.Tests.Datasets;

/// <summary>Problems that VocDataset.Inspect collects and Load summarises, each naming the file and the fix.</summary>
public sealed class VocDatasetProblemTests : IDisposable
{
    private readonly VocTree tree = new();

    public void Dispose() => tree.Dispose();

    [RealVocFact]
    public void Inspect_RealOfficialTestList()
    {
        tree.CopyReal(RealVoc.Ids);
        string listPath = tree.ListPath("Main/test.txt");
        File.Copy(Path.Combine(RealVoc.YearFolder, "ImageSets", "Main", "test.txt"), listPath);
        var listed = File.ReadLines(listPath).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var present = listed.Where(RealVoc.Ids.Contains).ToList();
        int firstMissing = listed.FindIndex(id => !RealVoc.Ids.Contains(id));

        var (split, problems) = VocDataset.Inspect(tree.Options("test"));

        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(present, split.Items.Select(i => i.Id));
        Assert.Equal(listed.Count - present.Count, problems.Count);
        Assert.All(problems, p => Assert.Equal(listPath, p.FilePath));
        Assert.All(problems, p => Assert.Contains("has no image", p.Message));
        Assert.StartsWith($"{listPath}, line {firstMissing + 1}: id {listed[firstMissing]} has no image", problems[0].Message);
    }

    [RealVocFact]
    public void Load_RealOfficialListSummarised()
    {
        tree.CopyReal(RealVoc.Ids);
        string listPath = tree.ListPath("Main/test.txt");
        File.Copy(Path.Combine(RealVoc.YearFolder, "ImageSets", "Main", "test.txt"), listPath);
        var (_, problems) = VocDataset.Inspect(tree.Options("test"));

        var error = Assert.Throws<DatasetException>(() => VocDataset.Load(tree.Options("test")));

        Assert.Equal(listPath, error.FilePath);
        Assert.Contains($"has {problems.Count} problem(s)", error.Message);
        Assert.Contains(problems[4].Message, error.Message);
        Assert.DoesNotContain(problems[5].Message, error.Message);
        Assert.Contains($"... and {problems.Count - 5} more; 'reprokit data verify' lists them all.", error.Message);
    }

    [Fact]
    public void Inspect_UnknownClassListsValidOnes()
    {
        string kitten = tree.WriteAnnotation("000001", VocXml.Annotation(
            100,
            100,
            VocXml.Object("kitten", 1, 1, 50, 50),
            VocXml.Object("dog", 1, 1, 20, 20)));
        tree.WriteAnnotation("000002", VocXml.Annotation(100, 100, VocXml.Object("dog", 1, 1, 50, 50)));
        tree.WriteList("Main/train.txt", "000001", "000002");

        var (split, problems) = VocDataset.Inspect(tree.Options("train"));

        var problem = Assert.Single(problems);
        Assert.Equal(kitten, problem.FilePath);
        Assert.Contains(kitten, problem.Message);
        Assert.Contains("'kitten'", problem.Message);
        Assert.Contains(string.Join(", ", VocDataset.ObjectClasses), problem.Message);
        Assert.Contains("Correct the <name> element", problem.Message);
        var item = Assert.Single(split.Items);
        Assert.Equal("000002", item.Id);
    }

    [Fact]
    public void Inspect_IdWithoutImage()
    {
        tree.WriteAnnotation("000001", VocXml.Annotation(100, 100, VocXml.Object("dog", 1, 1, 50, 50)));
        tree.WriteAnnotation("000006", VocXml.Annotation(100, 100, VocXml.Object("dog", 1, 1, 50, 50)), withImage: false);
        string listPath = tree.WriteList("Main/train.txt", "000001", "000006");

        var (split, problems) = VocDataset.Inspect(tree.Options("train"));

        var problem = Assert.Single(problems);
        Assert.Equal(listPath, problem.FilePath);
        Assert.Contains($"{listPath}, line 2: id 000006", problem.Message);
        Assert.Contains(tree.ImagePath("000006"), problem.Message);
        Assert.Contains("remove the id from the list", problem.Message);
        Assert.Single(split.Items);
    }

    [Fact]
    public void Inspect_AnnotationMissing()
    {
        tree.WriteImage("000007");
        tree.WriteAnnotation("000008", VocXml.Annotation(100, 100, VocXml.Object("cow", 1, 1, 50, 50)));
        tree.WriteList("Main/train.txt", "000007", "000008");

        var (split, problems) = VocDataset.Inspect(tree.Options("train"));

        var problem = Assert.Single(problems);
        Assert.Equal(tree.AnnotationPath("000007"), problem.FilePath);
        Assert.Contains(tree.AnnotationPath("000007"), problem.Message);
        Assert.Contains("is missing", problem.Message);
        Assert.Equal("000008", Assert.Single(split.Items).Id);
    }

    [Fact]
    public void Inspect_DuplicateIdBothLines()
    {
        tree.WriteAnnotation("000001", VocXml.Annotation(100, 100, VocXml.Object("dog", 1, 1, 50, 50)));
        tree.WriteAnnotation("000002", VocXml.Annotation(100, 100, VocXml.Object("cat", 1, 1, 50, 50)));
        string listPath = tree.WriteList("Main/train.txt", "000001", "000002", "", "000001");

        var (split, problems) = VocDataset.Inspect(tree.Options("train"));

        var problem = Assert.Single(problems);
        Assert.Equal(listPath, problem.FilePath);
        Assert.Contains($"{listPath}, line 4: id 000001 is listed again (first on line 1)", problem.Message);
        Assert.Contains("Remove the duplicate line", problem.Message);
        Assert.Equal(["000001", "000002"], split.Items.Select(i => i.Id));
    }

    [Fact]
    public void Inspect_ExtraColumnsAndSpaces()
    {
        tree.WriteAnnotation("000001", VocXml.Annotation(100, 100, VocXml.Object("dog", 1, 1, 50, 50)));
        tree.WriteAnnotation("000002", VocXml.Annotation(100, 100, VocXml.Object("cat", 1, 1, 50, 50)));
        tree.WriteList("Main/train.txt", "  000001  1", "\t000002 ", "   ");

        var (split, problems) = VocDataset.Inspect(tree.Options("train"));

        Assert.Empty(problems);
        Assert.Equal(["000001", "000002"], split.Items.Select(i => i.Id));
    }

    [Fact]
    public void Load_EmptyListRejected()
    {
        string listPath = tree.WriteList("Main/train.txt", "", "   ", "");

        var error = Assert.Throws<DatasetException>(() => VocDataset.Load(tree.Options("train")));

        Assert.Equal(listPath, error.FilePath);
        Assert.Contains($"{listPath} lists no ids", error.Message);
        Assert.Contains("1 problem(s)", error.Message);
    }

    [Fact]
    public void Load_MissingListRejected()
    {
        string listPath = tree.ListPath("Main/val.txt");

        var error = Assert.Throws<DatasetException>(() => VocDataset.Load(tree.Options("val")));

        Assert.Equal(listPath, error.FilePath);
        Assert.Contains($"The split list {listPath} is missing", error.Message);
        Assert.Contains("Re-extract the dataset archive", error.Message);
    }

    [Fact]
    public void Load_MissingTestListNamesArchive()
    {
        var error = Assert.Throws<DatasetException>(() => VocDataset.Load(tree.Options("test")));

        Assert.Equal(tree.ListPath("Main/test.txt"), error.FilePath);
        Assert.Contains("VOCtest_06-Nov-2007.tar", error.Message);
    }

    [Fact]
    public void Load_MissingImageFolderRejected()
    {
        Directory.Delete(Path.Combine(tree.YearFolder, "JPEGImages"));
        tree.WriteList("Main/train.txt", "000001");

        var error = Assert.Throws<DatasetException>(() => VocDataset.Load(tree.Options("train")));

        Assert.Equal(tree.YearFolder, error.FilePath);
        Assert.Contains("has no JPEGImages folder", error.Message);
    }

    [Fact]
    public void Inspect_MalformedAnnotationIsProblem()
    {
        string broken = tree.WriteAnnotation("000001", "<annotation><object><name>dog</name>");
        tree.WriteAnnotation("000002", VocXml.Annotation(100, 100, VocXml.Object("cat", 1, 1, 50, 50)));
        tree.WriteList("Main/train.txt", "000001", "000002");

        var (split, problems) = VocDataset.Inspect(tree.Options("train"));

        var problem = Assert.Single(problems);
        Assert.Equal(broken, problem.FilePath);
        Assert.Contains($"{broken} is not valid annotation XML", problem.Message);
        Assert.Equal("000002", Assert.Single(split.Items).Id);
    }

    [Fact]
    public void Inspect_EntityAnnotationIsProblem()
    {
        string entity = tree.WriteAnnotation("000001", """
            <!DOCTYPE annotation [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <annotation>
              <object>
                <name>&x;</name>
                <bndbox><xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax></bndbox>
              </object>
            </annotation>
            """);
        tree.WriteList("Main/train.txt", "000001");

        var (split, problems) = VocDataset.Inspect(tree.Options("train"));

        var problem = Assert.Single(problems);
        Assert.Equal(entity, problem.FilePath);
        Assert.DoesNotContain("root:", problem.Message);
        Assert.Empty(split.Items);
    }

    [Fact]
    public void Load_FirstFiveProblemsShown()
    {
        string[] ids = ["000101", "000102", "000103", "000104", "000105", "000106", "000107"];
        string listPath = tree.WriteList("Main/train.txt", ids);

        var error = Assert.Throws<DatasetException>(() => VocDataset.Load(tree.Options("train")));

        Assert.Equal(listPath, error.FilePath);
        Assert.Contains("VOC2007 train (dominant object) has 7 problem(s)", error.Message);
        for (int i = 0; i < 5; i++)
        {
            Assert.Contains($"line {i + 1}: id {ids[i]} has no image", error.Message);
        }

        Assert.DoesNotContain("id 000106", error.Message);
        Assert.Contains("... and 2 more", error.Message);
    }

    [Fact]
    public void Load_NoUsableExamplesRejected()
    {
        tree.WriteAnnotation("000001", VocXml.Annotation(100, 100, VocXml.Object("dog", 1, 1, 50, 50, difficult: true)));
        string listPath = tree.WriteList("Main/train.txt", "000001");

        var (split, problems) = VocDataset.Inspect(tree.Options("train"));
        var error = Assert.Throws<DatasetException>(() => VocDataset.Load(tree.Options("train")));

        Assert.Empty(split.Items);
        Assert.Single(split.Warnings);
        var problem = Assert.Single(problems);
        Assert.Contains("no usable examples (1 ids listed)", problem.Message);
        Assert.Equal(listPath, error.FilePath);
    }
}
