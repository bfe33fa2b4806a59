namespace Supervision.Domain.Scoring;

/// <summary>A model's verdict on one text: how likely it reports something adverse, and which model said so.</summary>
public sealed record SentimentScore(double NegativeProbability, string ModelVersion)
{
    /// <summary>The model version recorded for signals whose tone the source measured itself.</summary>
    public const string SourceToneVersion = "source-tone";

    /// <summary>
    /// A source's own tone (GDELT: the share of positive minus negative words, in percent,
    /// mostly between -10 and +10) as a probability of adversity: a logistic curve centred on
    /// neutral, so a tone of -4 reads as about 0.88 and +4 as about 0.12.
    /// </summary>
    public static SentimentScore FromTone(double tone) => new(1 / (1 + Math.Exp(tone / 2)), SourceToneVersion);
}

/// <summary>Scores texts. Implemented over ML.NET in the infrastructure project.</summary>
public interface ISentimentScorer
{
    /// <summary>The version of the model scoring now, as its model card names it.</summary>
    string ModelVersion { get; }

    SentimentScore Score(string text);
}
