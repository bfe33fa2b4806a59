using Supervision.Domain.Ingestion;

namespace Supervision.Domain.Messages;

/// <summary>The items-to-score queue message (ingestion → scoring): the item and the trust its source carried when pulled.</summary>
public sealed record ScoreItemMessage(NormalisedItem Item, double TrustWeight, string? TraceParent = null);

/// <summary>Several items of one pull in one message: queue round trips, not scoring, bound intake.</summary>
public sealed record ScoreItemsMessage(IReadOnlyList<NormalisedItem> Items, double TrustWeight, string? TraceParent = null);
