using Supervision.Trainer;

namespace Supervision.Testing;

/// <summary>The sentiment model, trained once per test run by the repository's trainer into a temporary folder.</summary>
public static class TestModel
{
    private static readonly Lazy<string> Trained = new(() =>
    {
        var directory = Path.Combine(Path.GetTempPath(), "supervision-tests", "model-" + Environment.ProcessId);
        new SentimentTrainer(TextWriter.Null).Train(ModelPaths.SentimentData(ModelPaths.FindRepositoryRoot()), directory);
        return Path.Combine(directory, SentimentTrainer.ModelFileName);
    });

    public static string ModelFile => Trained.Value;
}
