using Supervision.Domain.Portraits;

namespace Supervision.Domain.Reviews;

/// <summary>
/// What a joint review was opened on, frozen at that moment: the portrait with every contribution,
/// the grading rules and models in force, and for each piece of evidence where its raw bytes are
/// kept. The portrait keeps changing after the case opens; reviewers, the enterprise's objection
/// and an auditor all need the version the case rests on. Its SHA-256 is in the case's request and
/// so in the case-opened audit entry.
/// </summary>
public sealed record CaseFile(
    string CaseId,
    string MemorandumId,
    string Uscc,
    string EnterpriseName,
    DateTimeOffset OpenedAt,
    CreditPortrait Portrait,
    string Models,
    string GradeThresholds,
    IReadOnlyList<CaseFileEvidence> Evidence);

/// <summary>One signal the portrait counted, traced to its source and to the archived bytes it came from.</summary>
public sealed record CaseFileEvidence(
    string ItemId,
    string SourceId,
    string Title,
    string Category,
    double Risk,
    string RawSha256,
    string RawBlob);
