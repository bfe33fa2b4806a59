namespace Supervision.Infrastructure.Scoring;

/// <summary>Settings of the scoring stage (section "Scoring").</summary>
public sealed class ScoringOptions
{
    public const string SectionName = "Scoring";

    /// <summary>The folder of the shipped models (one subfolder per model, each with model.zip and model-card.json).</summary>
    public string ModelDirectory { get; set; } = "models";

    /// <summary>How often the scorer looks for newer models published to blob storage; zero turns the check off.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many n-grams each score's explanation lists.</summary>
    public int ExplanationSize { get; set; } = 5;
}
