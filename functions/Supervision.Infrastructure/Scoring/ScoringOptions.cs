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

    /// <summary>
    /// How long an item handed to scoring may go undelivered before its message is sent again
    /// (<see cref="Storage.ScoringOutbox"/>). Longer than any queue backlog should last: a message
    /// sent again while the first still waits is scored twice, to the same effect.
    /// </summary>
    public TimeSpan ResendUndeliveredAfter { get; set; } = TimeSpan.FromMinutes(10);
}
