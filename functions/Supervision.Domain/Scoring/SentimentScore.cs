using System.Globalization;
using System.Text;

namespace Supervision.Domain.Scoring;

/// <summary>One n-gram's push on a score: positive pushes towards adverse, negative away from it.</summary>
public sealed record NgramContribution(string Ngram, double Weight)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"\"{Ngram}\" {Weight:+0.000;-0.000}");
}

/// <summary>
/// A model's verdict on one text: how likely it reports something adverse, which model said so,
/// the language it was read as, what it is about when adverse, and the n-grams that weighed most.
/// </summary>
public sealed record SentimentScore(
    double NegativeProbability,
    string ModelVersion,
    string? Language = null,
    RiskCategory Category = RiskCategory.None,
    IReadOnlyList<NgramContribution>? Explanation = null)
{
    /// <summary>The model version recorded for signals whose tone the source measured itself.</summary>
    public const string SourceToneVersion = "source-tone";

    /// <summary>
    /// A source's own tone (GDELT: the share of positive minus negative words, in percent,
    /// mostly between -10 and +10) as a probability of adversity: a logistic curve centred on
    /// neutral, so a tone of -4 reads as about 0.88 and +4 as about 0.12.
    /// </summary>
    public static SentimentScore FromTone(double tone) => new(1 / (1 + Math.Exp(tone / 2)), SourceToneVersion);

    /// <summary>The explanation as one line for people: the model, then the strongest n-grams.</summary>
    public string Explain()
    {
        var text = new StringBuilder(ModelVersion);
        if (Category != RiskCategory.None)
        {
            text.Append(" [").Append(RiskTaxonomy.Of(Category).Key).Append(']');
        }

        if (Explanation is { Count: > 0 })
        {
            text.Append(": ").AppendJoin(", ", Explanation);
        }

        return text.ToString();
    }
}

/// <summary>Scores texts. Implemented over ML.NET in the infrastructure project.</summary>
public interface ISentimentScorer
{
    /// <summary>The versions of the models scoring now, as their model cards name them.</summary>
    string ModelVersion { get; }

    SentimentScore Score(string text);

    /// <summary>Scores many texts at once; the order of the results is the order of the texts.</summary>
    IReadOnlyList<SentimentScore> ScoreBatch(IReadOnlyList<string> texts);
}
