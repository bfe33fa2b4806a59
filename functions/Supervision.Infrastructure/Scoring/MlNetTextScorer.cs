using Microsoft.Extensions.Options;
using Supervision.Domain.Scoring;

namespace Supervision.Infrastructure.Scoring;

/// <summary>
/// Scores text with the trained models: each text goes to the polarity model of its script,
/// an adverse text is also given a risk category, and every score names its model versions and
/// the n-grams that weighed most. The models load once; a newer set published to blob storage
/// is swapped in whole by <see cref="ModelRefresher"/> without a restart.
/// </summary>
public sealed class MlNetTextScorer : ISentimentScorer
{
    /// <summary>The probability from which a text counts as adverse (the threshold the model cards state).</summary>
    public const double AdverseThreshold = 0.5;

    private readonly int explanationSize;
    private ModelSet current;

    public MlNetTextScorer(IOptions<ScoringOptions> options)
    {
        var directory = options.Value.ModelDirectory;
        if (!Path.IsPathRooted(directory))
        {
            directory = Path.Combine(AppContext.BaseDirectory, directory);
        }

        explanationSize = options.Value.ExplanationSize;
        current = ModelSet.Load(directory);
    }

    public ModelSet Current => Volatile.Read(ref current);

    public string ModelVersion => string.Join(' ', Current.Versions);

    /// <summary>Puts a loaded and checked set in force; texts already being scored finish on the old one.</summary>
    public void Replace(ModelSet models) => Volatile.Write(ref current, models);

    public SentimentScore Score(string text)
    {
        var models = Current;
        var language = LanguageDetector.Detect(text);
        var polarity = models.PolarityFor(language);
        var (probability, explanation) = polarity.Score(text, explanationSize);

        // A category is asked only of adverse texts: it says what the trouble is about, and the
        // model was trained on adverse texts alone.
        var category = probability >= AdverseThreshold ? models.Category.Predict(text) : RiskCategory.None;
        return Compose(models, polarity, language, probability, category, explanation);
    }

    public IReadOnlyList<SentimentScore> ScoreBatch(IReadOnlyList<string> texts)
    {
        var models = Current;
        var languages = new TextLanguage[texts.Count];
        var probabilities = new double[texts.Count];
        var explanations = new IReadOnlyList<NgramContribution>[texts.Count];
        foreach (var group in Enumerable.Range(0, texts.Count).GroupBy(i => languages[i] = LanguageDetector.Detect(texts[i])))
        {
            var indices = group.ToArray();
            var groupProbabilities = new double[indices.Length];
            var groupExplanations = new IReadOnlyList<NgramContribution>[indices.Length];
            models.PolarityFor(group.Key)
                .ScoreBatch([.. indices.Select(i => texts[i])], groupProbabilities, groupExplanations, explanationSize);
            for (var k = 0; k < indices.Length; k++)
            {
                probabilities[indices[k]] = groupProbabilities[k];
                explanations[indices[k]] = groupExplanations[k];
            }
        }

        // Categories for the adverse texts only, in one pass of the category model.
        var adverse = Enumerable.Range(0, texts.Count).Where(i => probabilities[i] >= AdverseThreshold).ToArray();
        var categories = new RiskCategory[texts.Count];
        var predicted = adverse.Length == 0 ? [] : models.Category.PredictBatch([.. adverse.Select(i => texts[i])]);
        for (var k = 0; k < adverse.Length; k++)
        {
            categories[adverse[k]] = predicted[k];
        }

        return
        [
            .. Enumerable.Range(0, texts.Count).Select(i => Compose(
                models, models.PolarityFor(languages[i]), languages[i], probabilities[i], categories[i], explanations[i])),
        ];
    }

    private static SentimentScore Compose(
        ModelSet models,
        PolarityModel polarity,
        TextLanguage language,
        double probability,
        RiskCategory category,
        IReadOnlyList<NgramContribution> explanation)
    {
        var version = probability >= AdverseThreshold ? $"{polarity.Version}+{models.Category.Version}" : polarity.Version;
        return new SentimentScore(Math.Round(probability, 6), version, LanguageDetector.Code(language), category, explanation);
    }
}
