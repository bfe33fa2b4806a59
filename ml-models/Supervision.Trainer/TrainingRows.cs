using Microsoft.ML.Data;
using Supervision.Domain.Scoring;

namespace Supervision.Trainer;

/// <summary>A polarity training row: Label is true when the text reports something adverse.</summary>
public sealed class PolarityRow
{
    [ColumnName(ModelContract.LabelColumn)]
    public bool IsAdverse { get; set; }

    [ColumnName(ModelContract.TextColumn)]
    public string Text { get; set; } = string.Empty;
}

/// <summary>A risk-category training row: Category is a RiskTaxonomy key.</summary>
public sealed class CategoryRow
{
    public string Category { get; set; } = string.Empty;

    [ColumnName(ModelContract.TextColumn)]
    public string Text { get; set; } = string.Empty;
}
