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

        return directory?.FullName ?? throw new DirectoryNotFoundException("Supervision.Functions.sln was not found above " + (start ?? AppContext.BaseDirectory));
    }

    public static string SentimentData(string root) => Path.Combine(root, "ml-models", "data", "placeholder-sentiment.tsv");

    public static string SentimentModelDirectory(string root) => Path.Combine(root, "ml-models", "models", SentimentTrainer.ModelName);

    /// <summary>Trains the sentiment model unless a model trained from the current data is already there.</summary>
    public static string EnsureSentimentModel(string root, TextWriter progress)
    {
        var directory = SentimentModelDirectory(root);
        var model = Path.Combine(directory, SentimentTrainer.ModelFileName);
        if (!File.Exists(model) || File.GetLastWriteTimeUtc(model) < File.GetLastWriteTimeUtc(SentimentData(root)))
        {
            new SentimentTrainer(progress).Train(SentimentData(root), directory);
        }

        return model;
    }
}
