namespace Supervision.Domain.Messages;

/// <summary>
/// "Reassess enterprise X" (scoring, the inbox and the reviews stage → portraits): recompute the
/// enterprise's portrait from its evidence. <paramref name="CausedBy"/> names what changed (an
/// item id, an inbox file) for the portrait's history. With <paramref name="EvidenceSince"/>,
/// the portrait is computed from evidence that arrived at or after that time only, and only
/// <paramref name="Memorandum"/>'s trigger is checked: the reviews stage asks this when a case
/// under that memorandum has closed and the enterprise may be reviewed again on new evidence.
/// </summary>
public sealed record ReassessEnterprise(
    string Uscc,
    string CausedBy,
    string? TraceParent = null,
    DateTimeOffset? EvidenceSince = null,
    string? Memorandum = null);
