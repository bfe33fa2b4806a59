namespace Supervision.Architecture.Tests;

/// <summary>Finds the repository's root above the test binaries, as the other test projects do.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

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
