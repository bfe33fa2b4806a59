using Microsoft.ML.Data;

namespace Supervision.Trainer;

/// <summary>
/// The columns a sentiment model reads and writes. The scorer binds to the same names; the
/// model card records them so that a model and its reader cannot silently disagree.
/// </summary>
public static class SentimentModelContract
{
    public const string TextColumn = "Text";
    public const string LabelColumn = "Label";
    public const string ProbabilityColumn = "Probability";
}

/// <summary>One labelled training row. Label is true when the text reports something adverse.</summary>
public sealed class SentimentRow
{
    [ColumnName(SentimentModelContract.LabelColumn)]
    public bool IsAdverse { get; set; }

    [ColumnName(SentimentModelContract.TextColumn)]
    public string Text { get; set; } = string.Empty;
}
