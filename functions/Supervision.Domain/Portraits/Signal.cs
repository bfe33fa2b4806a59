using Supervision.Domain.Scoring;

namespace Supervision.Domain.Portraits;

/// <summary>
/// One scored mention of an enterprise by a third-party source. Keyed by (Uscc, ItemId), so
/// scoring the same item twice writes the same signal. The category and the explanation come
/// from the scorer: what the text is about, and the n-grams that decided its probability.
/// <paramref name="ReceivedAt"/> is when the item arrived here (not when it was published): a
/// review after a closed case counts only evidence that arrived after it closed. Signals stored
/// before it was recorded have none and count as old.
/// </summary>
public sealed record Signal(
    string Uscc,
    string ItemId,
    string SourceId,
    string Title,
    double NegativeProbability,
    double TrustWeight,
    DateTimeOffset ObservedAt,
    string RawSha256,
    string ModelVersion,
    string LinkExplanation,
    RiskCategory Category = RiskCategory.None,
    IReadOnlyList<NgramContribution>? ScoreExplanation = null,
    string? Language = null,
    DateTimeOffset? ReceivedAt = null);
