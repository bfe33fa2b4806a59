using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.ML;
using Microsoft.ML.Data;
using Supervision.Domain.Scoring;

namespace Supervision.Infrastructure.Scoring;

/// <summary>
/// Scores text with the model the trainer produced. The model loads once; prediction engines
/// are not thread-safe, so each call borrows one from a pool and returns it.
/// </summary>
public sealed class MlNetSentimentScorer : ISentimentScorer
{
    private readonly MLContext ml = new();
    private readonly ITransformer model;
    private readonly ConcurrentBag<PredictionEngine<ModelInput, ModelOutput>> engines = [];

    public MlNetSentimentScorer(IOptions<ScoringOptions> options)
    {
        var path = options.Value.ModelPath;
        if (!Path.IsPathRooted(path))
        {
            path = Path.Combine(AppContext.BaseDirectory, path);
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No sentiment model at {path}. Train one: dotnet run --project ml-models/Supervision.Trainer -- train", path);
        }

        model = ml.Model.Load(path, out _);
        ModelVersion = ReadVersion(Path.Combine(Path.GetDirectoryName(path)!, "model-card.json"));
    }

    public string ModelVersion { get; }

    public SentimentScore Score(string text)
    {
        if (!engines.TryTake(out var engine))
        {
            engine = ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model);
        }

        try
        {
            var output = engine.Predict(new ModelInput { Text = text });
            return new SentimentScore(Math.Round(output.Probability, 6), ModelVersion);
        }
        finally
        {
            engines.Add(engine);
        }
    }

    private static string ReadVersion(string cardPath)
    {
        if (!File.Exists(cardPath))
        {
            return "unversioned";
        }

        using var card = JsonDocument.Parse(File.ReadAllBytes(cardPath));
        return card.RootElement.TryGetProperty("version", out var version) ? version.GetString() ?? "unversioned" : "unversioned";
    }

    // Column names are the trainer's contract (SentimentModelContract): Text in, Probability out.
    private sealed class ModelInput
    {
        [ColumnName("Text")]
        public string Text { get; set; } = string.Empty;
    }

    private sealed class ModelOutput
    {
        [ColumnName("Probability")]
        public float Probability { get; set; }
    }
}
