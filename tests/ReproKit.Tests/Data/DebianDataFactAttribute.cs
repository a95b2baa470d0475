namespace ReproKit.Tests.Data;

/// <summary>
/// A fact that needs Debian's dataset-fashion-mnist package. It is skipped where the package is missing, except
/// under CI (environment variable CI=true), which installs the package, so there the test runs and fails.
/// </summary>
internal sealed class DebianDataFactAttribute : FactAttribute
{
    /// <summary>Folder of Debian's dataset-fashion-mnist package.</summary>
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    public DebianDataFactAttribute()
    {
        bool isCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!Directory.Exists(DebianDirectory) && !isCi)
        {
            Skip = $"{DebianDirectory} does not exist. Install it with `apt-get install dataset-fashion-mnist` to run this test.";
        }
    }

    /// <summary>Fails with the install command when the package is missing, as under CI without it.</summary>
    public static void AssertInstalled()
    {
        Assert.True(
            Directory.Exists(DebianDirectory),
            $"{DebianDirectory} does not exist, but CI=true promises Debian's dataset-fashion-mnist package. Install it with `apt-get install dataset-fashion-mnist`.");
    }
}
