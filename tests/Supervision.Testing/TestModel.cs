using Supervision.Trainer;

namespace Supervision.Testing;

/// <summary>The scoring models, trained once per test process by the repository's trainer into a temporary folder.</summary>
public static class TestModel
{
    private static readonly Lazy<string> Trained = new(() =>
    {
        var root = ModelPaths.FindRepositoryRoot();
        var directory = Path.Combine(Path.GetTempPath(), "supervision-tests", "models-" + Environment.ProcessId);
        new ModelTrainers(TextWriter.Null).TrainAll(TrainingData.Load(TrainingData.DataDirectory(root)), directory);
        return directory;
    });

    /// <summary>The folder holding one subfolder per model.</summary>
    public static string Directory => Trained.Value;
}
