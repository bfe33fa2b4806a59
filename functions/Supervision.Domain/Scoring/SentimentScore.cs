namespace Supervision.Domain.Scoring;

/// <summary>A model's verdict on one text: how likely it reports something adverse, and which model said so.</summary>
public sealed record SentimentScore(double NegativeProbability, string ModelVersion);

/// <summary>Scores texts. Implemented over ML.NET in the infrastructure project.</summary>
public interface ISentimentScorer
{
    /// <summary>The version of the model scoring now, as its model card names it.</summary>
    string ModelVersion { get; }

    SentimentScore Score(string text);
}
