namespace ReproKit.Tests;

/// <summary>A fresh folder under the system temp folder, deleted with its content on dispose.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public TemporaryDirectory()
    {
        FullPath = Path.Combine(Path.GetTempPath(), "reprokit-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(FullPath);
    }

    public string FullPath { get; }

    /// <summary>Returns the path of <paramref name="name"/> in this folder. The file need not exist.</summary>
    public string Combine(params string[] name) => Path.Combine([FullPath, .. name]);

    /// <summary>Writes <paramref name="content"/> to <paramref name="name"/> in this folder and returns its path.</summary>
    public string Write(string name, byte[] content)
    {
        string path = Combine(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(FullPath))
        {
            Directory.Delete(FullPath, recursive: true);
        }
    }
}
