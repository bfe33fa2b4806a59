namespace Supervision.Infrastructure.Scoring;

/// <summary>Settings of the scoring stage (section "Scoring").</summary>
public sealed class ScoringOptions
{
    public const string SectionName = "Scoring";

    /// <summary>The trained model's .zip; its model-card.json beside it names the version.</summary>
    public string ModelPath { get; set; } = "models/sentiment/model.zip";
}
