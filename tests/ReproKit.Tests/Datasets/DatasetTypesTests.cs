using ReproKit.Datasets;

namespace ReproKit.Tests.Datasets;

public sealed class DatasetTypesTests
{
    [Fact]
    public void BoundingBox_AreaOfBox()
    {
        var box = new BoundingBox(48.5, 240, 195, 371.5);

        Assert.Equal((195 - 48.5) * (371.5 - 240), box.Area);
    }

    [Fact]
    public void BoundingBox_DegenerateAreaZero()
    {
        Assert.Equal(0, new BoundingBox(10, 10, 5, 20).Area);
        Assert.Equal(0, new BoundingBox(10, 10, 20, 5).Area);
        Assert.Equal(0, new BoundingBox(10, 10, 10, 20).Area);
    }

    [Fact]
    public void CountPerClass_IncludesEmptyClasses()
    {
        var split = new DatasetSplit(
            "counts",
            ["a", "b", "c"],
            [new DatasetItem("/x/1.jpg", 2, "1"), new DatasetItem("/x/2.jpg", 0, "2"), new DatasetItem("/x/3.jpg", 2, "3")],
            []);

        Assert.Equal([1L, 0L, 2L], split.CountPerClass());
    }

    [Fact]
    public void DatasetException_KeepsPath()
    {
        var inner = new IOException("disk");

        var error = new DatasetException("/data/file.xml", "message", inner);

        Assert.Equal("/data/file.xml", error.FilePath);
        Assert.Equal("message", error.Message);
        Assert.Same(inner, error.InnerException);
    }
}
