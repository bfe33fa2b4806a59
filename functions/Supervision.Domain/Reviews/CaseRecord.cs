using Supervision.Domain.Portraits;

namespace Supervision.Domain.Reviews;

/// <summary>Where a case stands, as regulators see it.</summary>
public enum CaseStatus
{
    /// <summary>Departments are reviewing.</summary>
    Pending,

    /// <summary>Decided, with measures in force until they end or are lifted.</summary>
    MeasuresInForce,

    /// <summary>Decided with no measure, or every measure has ended.</summary>
    Closed,
}

/// <summary>
/// A joint-review case as listed by the API: the request it opened with, how it ended, which
/// review round it is in (2 after the enterprise objected), until when it may object, and the
/// revision of the orchestration it runs (<see cref="ReviewRequest.Revision"/>), which tells the
/// API where a department's decision goes. <see cref="ClosedAt"/> is when it closed (null while open,
/// and for cases closed before it was recorded). <see cref="Owner"/> is the market regulator's case
/// owner it is assigned to (the memorandum's default; null for cases opened before owners were recorded).
/// <see cref="DepartmentReviews"/> is each department's progress per round (<see cref="ReviewProgress"/>; null
/// for cases whose reviews ran before it was recorded).
/// </summary>
public sealed record CaseRecord(
    string CaseId,
    string Uscc,
    string EnterpriseName,
    string MemorandumId,
    MemorandumKind Kind,
    CreditGrade Grade,
    double Score,
    IReadOnlyList<string> Departments,
    CaseStatus Status,
    DateTimeOffset OpenedAt,
    ReviewOutcome? Outcome,
    int Round = 1,
    DateTimeOffset? ObjectionDeadline = null,
    int Revision = 1,
    string? CaseFile = null,
    DateTimeOffset? ClosedAt = null,
    string? Owner = null,
    IReadOnlyList<DepartmentProgress>? DepartmentReviews = null)
{
    public static CaseRecord Of(ReviewRequest request, CaseStatus status, ReviewOutcome? outcome) =>
        new(
            request.CaseId,
            request.Uscc,
            request.EnterpriseName,
            request.MemorandumId,
            request.Kind,
            request.Grade,
            request.Score,
            request.Departments.Select(d => d.Department).ToList(),
            status,
            request.OpenedAt,
            outcome,
            Revision: request.Revision,
            CaseFile: request.CaseFile,
            Owner: request.Owner);

    /// <summary>The orchestration instance that receives a department's decisions in the case's current round.</summary>
    public string DecisionInstanceFor(string department) =>
        Revision >= ReviewRequest.CurrentRevision ? ReviewNames.DepartmentReviewInstanceFor(CaseId, department, Round) : CaseId;
}

/// <summary>A department's recorded decision on a case (one per case, department and round).</summary>
public sealed record DecisionRecord(
    string CaseId,
    string Department,
    DecisionVerdict Verdict,
    string DecidedBy,
    string? Comment,
    DateTimeOffset DecidedAt,
    int Round = 1);
