namespace Supervision.Architecture.Tests;

/// <summary>
/// The size limits of issue 13: no .cs file under functions/ or ml-models/ over 300 lines, and no
/// line over 140 characters in any .cs file under functions/, ml-models/ or tests/ (tests are
/// exempt from the file limit, not the line limit). Build output (bin/, obj/) is not source.
/// </summary>
public sealed class LimitsTests
{
    private const int MaxFileLines = 300;
    private const int MaxLineLength = 140;

    [Fact]
    public void SourceFiles_FunctionsAndMlModels_AreAtMost300Lines()
    {
        var offenders = SourceFiles("functions", "ml-models")
            .Select(file => (file, lines: File.ReadAllLines(Path.Combine(RepositoryFiles.Root, file)).Length))
            .Where(f => f.lines > MaxFileLines)
            .Select(f => $"{f.file} ({f.lines} lines)")
            .ToList();

        Assert.True(
            offenders.Count == 0,
            $"{offenders.Count} .cs files are over {MaxFileLines} lines:\n{string.Join('\n', offenders)}");
    }

    [Fact]
    public void SourceLines_FunctionsMlModelsAndTests_AreAtMost140Characters()
    {
        var offenders = SourceFiles("functions", "ml-models", "tests")
            .SelectMany(file => File.ReadAllLines(Path.Combine(RepositoryFiles.Root, file))
                .Select((line, index) => (file, number: index + 1, length: line.Length)))
            .Where(l => l.length > MaxLineLength)
            .Select(l => $"{l.file}:{l.number} ({l.length} characters)")
            .ToList();

        Assert.True(
            offenders.Count == 0,
            $"{offenders.Count} lines are over {MaxLineLength} characters:\n{string.Join('\n', offenders)}");
    }

    [Fact]
    public void SourceFiles_BuildOutput_IsSkipped()
    {
        var files = SourceFiles("functions", "tests");

        // This file is found (so the walk reaches tests/), and nothing from bin/ or obj/ is,
        // though the build has just written generated .cs files there (AssemblyInfo, global usings).
        Assert.Contains("tests/Supervision.Architecture.Tests/LimitsTests.cs", files);
        Assert.DoesNotContain(files, f => f.Split('/').Any(part => part is "bin" or "obj"));
        var obj = Path.Combine(RepositoryFiles.Root, "tests", "Supervision.Architecture.Tests", "obj");
        Assert.NotEmpty(Directory.EnumerateFiles(obj, "*.cs", SearchOption.AllDirectories));
    }

    /// <summary>The .cs files under the given top-level folders, as paths relative to the root with '/' separators, in order.</summary>
    private static List<string> SourceFiles(params string[] folders) =>
    [
        .. folders
            .SelectMany(folder => Walk(new DirectoryInfo(Path.Combine(RepositoryFiles.Root, folder))))
            .Select(file => Path.GetRelativePath(RepositoryFiles.Root, file.FullName).Replace('\\', '/'))
            .Order(StringComparer.Ordinal),
    ];

    private static IEnumerable<FileInfo> Walk(DirectoryInfo directory) => directory
        .EnumerateFiles("*.cs")
        .Concat(directory.EnumerateDirectories()
            .Where(d => d.Name is not ("bin" or "obj"))
            .SelectMany(Walk));
}
