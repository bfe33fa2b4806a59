namespace Supervision.Domain.Tests;

/// <summary>Finds the repository's fixtures and the shared data beside the checkout.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Fixtures(params string[] parts) => Path.Combine([Root, "tests", "fixtures", .. parts]);

    /// <summary>Material in ../shared/data that may not be copied into the repository.</summary>
    public static string Shared(params string[] parts) => Path.GetFullPath(Path.Combine([Root, "..", "shared", "data", .. parts]));

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Supervision.Functions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName
            ?? throw new InvalidOperationException("the repository root (Supervision.Functions.sln) is not above the test binaries");
    }
}
