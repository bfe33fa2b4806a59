namespace Supervision.Domain.Scoring;

/// <summary>A model's verdict on one text: how likely it reports something adverse, and which model said so.</summary>
public sealed record SentimentScore(double NegativeProbability, string ModelVersion);

/// <summary>Scores texts. Implemented over ML.NET in the infrastructure project.</summary>
public interface ISentimentScorer
{
    SentimentScore Score(string text);
}
