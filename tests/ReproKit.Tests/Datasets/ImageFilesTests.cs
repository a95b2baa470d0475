using ReproKit.Datasets;

namespace ReproKit.Tests.Datasets;

public sealed class ImageFilesTests : IDisposable
{
    private readonly TemporaryDirectory folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("a.jpg", true)]
    [InlineData("a.JPG", true)]
    [InlineData("a.jpeg", true)]
    [InlineData("a.png", true)]
    [InlineData("a.bmp", true)]
    [InlineData("a.gif", true)]
    [InlineData("a.txt", false)]
    [InlineData("a.jpg.txt", false)]
    [InlineData("jpg", false)]
    public void IsImage_ByExtension(string name, bool expected)
    {
        Assert.Equal(expected, ImageFiles.IsImage(name));
    }

    [Fact]
    public void List_SortedAndWarns()
    {
        string b = folder.Write("b.png", [1]);
        string a = folder.Write("a.jpg", [1]);
        string upper = folder.Write("Z.gif", [1]);
        string text = folder.Write("readme.txt", [1]);
        Directory.CreateDirectory(folder.Combine("sub"));
        folder.Write(Path.Combine("sub", "c.jpg"), [1]);
        var warnings = new List<string>();

        var images = ImageFiles.List(folder.FullPath, warnings);

        Assert.Equal([upper, a, b], images);
        var warning = Assert.Single(warnings);
        Assert.StartsWith($"{text} is not an image", warning);
        Assert.EndsWith("and was skipped.", warning);
    }
}
