namespace ReproKit.Tests.Data;

/// <summary>A fact that needs Debian's dataset-fashion-mnist package.</summary>
internal sealed class DebianDataFactAttribute : DebianPackageFactAttribute
{
    /// <summary>Folder of Debian's dataset-fashion-mnist package.</summary>
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    public DebianDataFactAttribute() : base(DebianDirectory, "dataset-fashion-mnist")
    {
    }

    /// <summary>Fails with the install command when the package is missing, as under CI without it.</summary>
    public static void AssertInstalled()
    {
        Assert.True(
            Directory.Exists(DebianDirectory),
            $"{DebianDirectory} does not exist, but CI=true promises Debian's dataset-fashion-mnist package. Install it with `apt-get install dataset-fashion-mnist`.");
    }
}
