using Supervision.Domain.Portraits;

namespace Supervision.Domain.Messages;

/// <summary>
/// "Enterprise flagged" (portraits → reviews): the portrait meets a memorandum's trigger. The
/// reviews stage opens a case from it, or nothing if one is open. <paramref name="EvidenceSince"/>
/// is set when the portrait was computed only from evidence that arrived at or after that time
/// (see <see cref="ReassessEnterprise"/>).
/// </summary>
public sealed record EnterpriseFlagged(
    string Uscc,
    string EnterpriseName,
    string MemorandumId,
    CreditPortrait Portrait,
    string CausedBy,
    string? TraceParent = null,
    DateTimeOffset? EvidenceSince = null);
