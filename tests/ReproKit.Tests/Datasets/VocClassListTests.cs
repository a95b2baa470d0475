using ReproKit.Datasets;

namespace ReproKit.Tests.Datasets;

/// <summary>
/// VocDataset.CheckClassLists against per-class lists (ImageSets/Main/CLASS_SPLIT.txt), where 1 means a
/// non-difficult object of the class, 0 only difficult ones and -1 none.
/// </summary>
public sealed class VocClassListTests : IDisposable
{
    private readonly VocTree tree = new();

    public void Dispose() => tree.Dispose();

    [RealVocFact]
    public void CheckClassLists_RealListsMatch()
    {
        tree.CopyReal(RealVoc.Ids);
        int written = CopyRealClassLists("test") + CopyRealClassLists("trainval");

        var testProblems = VocDataset.CheckClassLists(tree.Options("test"));
        var trainvalProblems = VocDataset.CheckClassLists(tree.Options("trainval"));

        Assert.Equal(2 * VocDataset.ObjectClasses.Count, written);
        Assert.Empty(testProblems);
        Assert.Empty(trainvalProblems);
    }

    [RealVocFact]
    public void CheckClassLists_RealListEdited()
    {
        tree.CopyReal(RealVoc.Ids);
        CopyRealClassLists("test");
        string dogList = tree.ListPath("Main/dog_test.txt");
        var lines = File.ReadAllText(dogList).Split("\r\n").ToList();
        int line = lines.FindIndex(l => l.StartsWith("000001", StringComparison.Ordinal));

        // 000001 has a non-difficult dog, so the real list marks it 1.
        Assert.Matches(@"^000001\s+1$", lines[line]);
        lines[line] = "000001 -1";
        File.WriteAllText(dogList, string.Join("\r\n", lines));

        var problems = VocDataset.CheckClassLists(tree.Options("test"));

        var problem = Assert.Single(problems);
        Assert.Equal(dogList, problem.FilePath);
        Assert.Contains($"{dogList}, line {line + 1}: image 000001 is marked -1 for dog, but its annotation says 1", problem.Message);
    }

    [Fact]
    public void CheckClassLists_CorrectListAccepted()
    {
        WriteCatAnnotations();
        tree.WriteList("Main/cat_train.txt", "000001 -1", "000002  0", "000003  1");

        var problems = VocDataset.CheckClassLists(tree.Options("train"));

        Assert.Empty(problems);
    }

    [Fact]
    public void CheckClassLists_MismatchesReported()
    {
        WriteCatAnnotations();
        string list = tree.WriteList("Main/cat_train.txt", "000001  1", "000002 -1", "000003  0");

        var problems = VocDataset.CheckClassLists(tree.Options("train"));

        Assert.Equal(3, problems.Count);
        Assert.All(problems, p => Assert.Equal(list, p.FilePath));
        Assert.Contains($"{list}, line 1: image 000001 is marked 1 for cat, but its annotation says -1", problems[0].Message);
        Assert.Contains($"{list}, line 2: image 000002 is marked -1 for cat, but its annotation says 0", problems[1].Message);
        Assert.Contains($"{list}, line 3: image 000003 is marked 0 for cat, but its annotation says 1", problems[2].Message);
    }

    [Fact]
    public void CheckClassLists_MalformedLineReported()
    {
        WriteCatAnnotations();
        string list = tree.WriteList("Main/cat_train.txt", "000001 -1", "000002 2", "000003", "", "000003 1 extra");

        var problems = VocDataset.CheckClassLists(tree.Options("train"));

        Assert.Equal(3, problems.Count);
        Assert.Contains($"{list}, line 2: expected 'id label' with label -1, 0 or 1, found '000002 2'", problems[0].Message);
        Assert.Contains($"{list}, line 3:", problems[1].Message);
        Assert.Contains($"{list}, line 5:", problems[2].Message);
    }

    [Fact]
    public void CheckClassLists_NoListsNoProblems()
    {
        WriteCatAnnotations();

        var problems = VocDataset.CheckClassLists(tree.Options("val"));

        Assert.Empty(problems);
    }

    [Fact]
    public void CheckClassLists_UnknownIdReported()
    {
        WriteCatAnnotations();
        string list = tree.WriteList("Main/cat_train.txt", "000001 -1", "009999 -1");

        var problems = VocDataset.CheckClassLists(tree.Options("train"));

        var problem = Assert.Single(problems);
        Assert.Equal(list, problem.FilePath);
        Assert.Contains("009999", problem.Message);
    }

    /// <summary>000001 has no cat, 000002 only a difficult cat, 000003 a difficult and a non-difficult cat.</summary>
    private void WriteCatAnnotations()
    {
        tree.WriteAnnotation("000001", VocXml.Annotation(100, 100, VocXml.Object("dog", 1, 1, 50, 50)));
        tree.WriteAnnotation("000002", VocXml.Annotation(
            100,
            100,
            VocXml.Object("cat", 1, 1, 50, 50, difficult: true),
            VocXml.Object("person", 1, 1, 90, 90)));
        tree.WriteAnnotation("000003", VocXml.Annotation(
            100,
            100,
            VocXml.Object("cat", 1, 1, 10, 10, difficult: true),
            VocXml.Object("cat", 20, 20, 60, 60)));
    }

    /// <summary>
    /// Writes each real CLASS_SPLIT.txt with only the lines of the ids present, keeping the lines and CRLF ends
    /// as they are. Returns the number of lists written.
    /// </summary>
    private int CopyRealClassLists(string split)
    {
        int written = 0;
        foreach (string className in VocDataset.ObjectClasses)
        {
            string source = Path.Combine(RealVoc.YearFolder, "ImageSets", "Main", $"{className}_{split}.txt");
            var matchingLines = File.ReadAllText(source).Split("\r\n")
                .Where(line => line.Length >= 6 && RealVoc.Ids.Contains(line[..6]))
                .ToArray();
            tree.WriteList($"Main/{className}_{split}.txt", matchingLines);
            written += matchingLines.Length > 0 ? 1 : 0;
        }

        return written;
    }
}
