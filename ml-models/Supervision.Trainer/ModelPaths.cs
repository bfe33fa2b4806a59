using Supervision.Domain.Scoring;

namespace Supervision.Trainer;

/// <summary>Where the repository keeps training data and trained models.</summary>
public static class ModelPaths
{
    /// <summary>The repository root: the nearest folder upwards that holds Supervision.Functions.sln.</summary>
    public static string FindRepositoryRoot(string? start = null)
    {
        var directory = new DirectoryInfo(start ?? AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Supervision.Functions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName
            ?? throw new DirectoryNotFoundException("Supervision.Functions.sln was not found above " + (start ?? AppContext.BaseDirectory));
    }

    public static string ModelsDirectory(string root) => Path.Combine(root, "ml-models", "models");

    public static string LexiconDirectory(string root) => Path.Combine(root, "ml-models", "lexicons");

    /// <summary>
    /// Trains the models unless every one is already there and newer than the training data.
    /// Returns the models folder (one subfolder per model).
    /// </summary>
    public static string EnsureModels(string root, TextWriter progress, string? modelsDirectory = null)
    {
        var directory = modelsDirectory ?? ModelsDirectory(root);
        var dataDirectory = TrainingData.DataDirectory(root);
        var newestData = Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories).Max(File.GetLastWriteTimeUtc);
        var stale = ModelContract.ModelNames.Any(name =>
        {
            var model = Path.Combine(directory, name, ModelContract.ModelFileName);
            return !File.Exists(model) || File.GetLastWriteTimeUtc(model) < newestData;
        });
        if (stale)
        {
            new ModelTrainers(progress).TrainAll(TrainingData.Load(dataDirectory), directory);
        }

        return directory;
    }
}
