namespace ReproKit.Tests;

/// <summary>Paths of files in the repository, for tests that read committed data or run scripts.</summary>
internal static class RepositoryPaths
{
    private const string SolutionFileName = "ReproKit.sln";

    /// <summary>The repository root: the nearest folder above the test binaries that contains ReproKit.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Returns the path of a repository file, given its path parts relative to the root.</summary>
    public static string Combine(params string[] relativeParts) => Path.Combine([Root, .. relativeParts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No folder above '{AppContext.BaseDirectory}' contains {SolutionFileName}. Build and run the tests inside the repository.");
    }
}
