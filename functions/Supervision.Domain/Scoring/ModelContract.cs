namespace Supervision.Domain.Scoring;

/// <summary>
/// The names shared by the trainer and the scorer: which models exist and which columns they
/// read and write. A model card records them, so a model and its reader cannot silently disagree.
/// </summary>
public static class ModelContract
{
    public const string TextColumn = "Text";
    public const string LabelColumn = "Label";
    public const string FeaturesColumn = "Features";

    /// <summary>Polarity models write the probability that the text reports something adverse.</summary>
    public const string ProbabilityColumn = "Probability";

    /// <summary>The risk-category model writes the category's key (RiskTaxonomy) and one score per category.</summary>
    public const string PredictedLabelColumn = "PredictedLabel";
    public const string ScoreColumn = "Score";

    public const string EnglishPolarity = "polarity-en";
    public const string ChinesePolarity = "polarity-zh";
    public const string RiskCategoryModel = "risk-category";

    public const string ModelFileName = "model.zip";
    public const string CardFileName = "model-card.json";

    /// <summary>
    /// An entry the trainer adds to a polarity model's zip: the names of its features, in slot
    /// order, one per line in UTF-8 (an n-gram never holds a line break: the trainer checks). ML.NET
    /// ignores it; the scorer reads it for explanations instead of asking the n-gram transforms to
    /// rebuild every name, which cost a fifth of a cold start.
    /// </summary>
    public const string FeatureNamesEntry = "Supervision/FeatureNames.txt";

    public static IReadOnlyList<string> ModelNames { get; } = [EnglishPolarity, ChinesePolarity, RiskCategoryModel];

    public static string PolarityModelFor(TextLanguage language) => language == TextLanguage.Chinese ? ChinesePolarity : EnglishPolarity;
}
