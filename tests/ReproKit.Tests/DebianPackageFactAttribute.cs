namespace ReproKit.Tests;

/// <summary>
/// A fact that needs a file from a Debian package. It is skipped where the file is missing, except under
/// CI (environment variable CI=true), which installs the package, so there the test runs and fails.
/// </summary>
internal abstract class DebianPackageFactAttribute : FactAttribute
{
    protected DebianPackageFactAttribute(string requiredPath, string package)
    {
        bool isCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!Path.Exists(requiredPath) && !isCi)
        {
            Skip = $"{requiredPath} does not exist. Install it with `apt-get install {package}` to run this test.";
        }
    }
}
