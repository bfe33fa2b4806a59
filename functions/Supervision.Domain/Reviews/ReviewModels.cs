using Supervision.Domain.Portraits;

namespace Supervision.Domain.Reviews;

/// <summary>
/// Everything a joint review needs, fixed when the case opens so that replays see the same input.
/// <see cref="Basis"/> records what the opening rested on for the audit: the scoring models in
/// force, the grade thresholds and the evidence counted; <see cref="CaseFile"/> names the blob
/// that freezes the portrait and evidence as they were, with its hash. <see cref="Revision"/> is the shape of
/// the orchestration the case runs: 1 for reviews opened when departments were branches of the
/// case's own orchestration (the default, because their stored inputs carry no revision and their
/// replays must take the same path), <see cref="CurrentRevision"/> for a sub-orchestration per
/// department. <see cref="Owner"/> is the case owner assigned at opening (the memorandum's default).
/// </summary>
public sealed record ReviewRequest(
    string CaseId,
    string Uscc,
    string EnterpriseName,
    string MemorandumId,
    MemorandumKind Kind,
    CreditGrade Grade,
    double Score,
    IReadOnlyList<string> EvidenceItemIds,
    IReadOnlyList<DepartmentMeasures> Departments,
    TimeSpan DecisionWindow,
    DateTimeOffset OpenedAt,
    string? TraceParent = null,
    ReviewTimings? Timings = null,
    string? Basis = null,
    int Revision = 1,
    string? CaseFile = null,
    string? CaseFileSha256 = null,
    string? Owner = null)
{
    /// <summary>Each department reviews in its own sub-orchestration (<see cref="ReviewNames.DepartmentReviewInstanceFor"/>).</summary>
    public const int CurrentRevision = 2;
}

/// <summary>
/// The configured times of a review besides the decision window, fixed when the case opens:
/// how long departments have to report that they implemented their measures, an optional
/// override of measure durations (demonstrations use minutes), how often a department may ask
/// for more information before it must decide, and how long the enterprise may object to the
/// measures once notified (none: no objection stage). Reviews opened with no timings (before
/// they existed) keep the stages they were opened with: a replayed orchestration must not grow
/// an objection stage it never had.
/// </summary>
public sealed record ReviewTimings(
    TimeSpan FeedbackWindow, TimeSpan? MeasureDuration, int MaxInformationRequests, TimeSpan? ObjectionWindow = null)
{
    public static readonly ReviewTimings Default = new(TimeSpan.FromDays(7), null, 2);
}

/// <summary>An enterprise's objection to the measures imposed on it; it re-opens the review.</summary>
public sealed record Objection(string SubmittedBy, string Reason, DateTimeOffset SubmittedAt);

/// <summary>
/// An enterprise's request for early credit repair, reviewed by the market regulator. <see cref="Id"/>
/// names it, so that only a ruling naming it decides it; requests raised before ids existed have none.
/// </summary>
public sealed record RepairRequest(string SubmittedBy, string Reason, DateTimeOffset SubmittedAt, string? Id = null);

/// <summary>
/// The market regulator's ruling on one credit-repair request, naming the request it answers
/// (rulings raised before ids existed name none).
/// </summary>
public sealed record RepairRuling(string? RequestId, DecisionVerdict Verdict, string DecidedBy, string? Comment, DateTimeOffset DecidedAt)
{
    /// <summary>
    /// Whether this ruling decides <paramref name="request"/>: it must name it. A request raised before
    /// ids existed takes any ruling, as it always did, so that the histories of those reviews replay unchanged.
    /// </summary>
    public bool Answers(RepairRequest request) => request.Id is null || string.Equals(RequestId, request.Id, StringComparison.Ordinal);

    /// <summary>The ruling as the decision the repair activities record.</summary>
    public DepartmentDecision ToDecision() => new(Verdict, DecidedBy, Comment, DecidedAt);
}

/// <summary>A department's report that it has implemented its measures (initiate – respond – feedback).</summary>
public sealed record ImplementationReport(string Department, string ReportedBy, string? Comment, DateTimeOffset ReportedAt);

/// <summary>
/// What one department reviews within a case. Round 1 is the review the case opened with; round 2
/// the re-review after the enterprise objected (approve: the measure stands; reject: it is withdrawn).
/// </summary>
public sealed record DepartmentReviewInput(
    string CaseId, string Uscc, string Department, TimeSpan DecisionWindow, string? TraceParent = null, int Round = 1)
{
    /// <summary>
    /// Appended to audit keys and alert ids so that a second round is recorded beside the first, not swallowed as its repeat.
    /// </summary>
    public string RoundSuffix => ReviewNames.RoundSuffix(Round);
}

/// <summary>A reviewer's verdict.</summary>
public enum DecisionVerdict
{
    Approve,
    Reject,

    /// <summary>Not a decision yet: the department needs more information; its deadline restarts.</summary>
    RequestInformation,
}

/// <summary>
/// The names a verdict is written with in a request body. Only these are verdicts: a number, or any
/// other word, is not (System.Text.Json's enum converter would take 7 for a verdict, so bodies are not
/// read with it).
/// </summary>
public static class VerdictNames
{
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string RequestInformation = "request-information";

    /// <summary>The spelling the README, the demo and older clients use for <see cref="RequestInformation"/>; still accepted.</summary>
    public const string LegacyRequestInformation = "requestInformation";

    /// <summary>How a refusal lists the accepted verdicts.</summary>
    public const string Accepted = "\"approve\", \"reject\" or \"request-information\"";

    private static readonly (string Name, DecisionVerdict Verdict)[] Names =
    [
        (Approve, DecisionVerdict.Approve),
        (Reject, DecisionVerdict.Reject),
        (RequestInformation, DecisionVerdict.RequestInformation),
        (LegacyRequestInformation, DecisionVerdict.RequestInformation),
    ];

    /// <summary>The verdict a name stands for, whatever its case; anything but one of the names is refused.</summary>
    public static bool TryParse(string? name, out DecisionVerdict verdict)
    {
        foreach (var (text, value) in Names)
        {
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                verdict = value;
                return true;
            }
        }

        verdict = default;
        return false;
    }
}

/// <summary>The external event a department's reviewer raises over HTTP.</summary>
public sealed record DepartmentDecision(DecisionVerdict Verdict, string DecidedBy, string? Comment, DateTimeOffset DecidedAt);

/// <summary>How a department's review ended.</summary>
public enum DepartmentOutcomeStatus
{
    Approved,
    Rejected,

    /// <summary>No decision before the deadline: recorded and escalated, never a measure by default.</summary>
    Overdue,
}

public sealed record DepartmentOutcome(string Department, DepartmentOutcomeStatus Status, string? DecidedBy, string? Comment);

/// <summary>A measure as applied to an enterprise, with the case and department that imposed it.</summary>
public sealed record AppliedMeasure(
    string Uscc,
    string CaseId,
    string Department,
    string Code,
    string Description,
    string LegalBasis,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt);

public sealed record ReviewOutcome(string CaseId, IReadOnlyList<DepartmentOutcome> Departments, IReadOnlyList<AppliedMeasure> Measures);

/// <summary>Names shared by orchestrations, activities and the HTTP API.</summary>
public static class ReviewNames
{

    /// <summary>One case per memorandum and enterprise: a second trigger finds the first case instead of opening another.</summary>
    public static string CaseIdFor(string memorandumId, string uscc) => $"{memorandumId}-{uscc}";

    /// <summary>
    /// The instance of one department's review of a case in a round (revision 2 and later), so
    /// that the API can raise its decision there and an operator can find it beside the case's.
    /// </summary>
    public static string DepartmentReviewInstanceFor(string caseId, string department, int round = 1) =>
        $"{caseId}:{department}{RoundSuffix(round)}";

    /// <summary>The external event that carries one department's decision in a round to the case's orchestration.</summary>
    public static string DecisionEventFor(string department, int round = 1) =>
        $"Decision.{department}{(round > 1 ? $".round{round}" : string.Empty)}";

    /// <summary>The audit key under which a department's missed deadline in a round is recorded.</summary>
    public static string OverdueKeyFor(string department, int round = 1) => $"overdue-{department}{RoundSuffix(round)}";

    /// <summary>Nothing for the first round, "-r2" for the re-review after an objection.</summary>
    public static string RoundSuffix(int round) => round > 1 ? $"-r{round}" : string.Empty;

    /// <summary>The external event carrying the enterprise's objection.</summary>
    public const string ObjectionEvent = "Objection";

    /// <summary>The external event carrying a department's implementation report.</summary>
    public static string ImplementedEventFor(string department) => $"Implemented.{department}";

    /// <summary>The external event carrying an enterprise's early-repair request.</summary>
    public const string RepairRequestEvent = "RepairRequest";

    /// <summary>The external event carrying the repair reviewer's ruling (<see cref="RepairRuling"/>).</summary>
    public const string RepairDecisionEvent = "RepairDecision";

    /// <summary>The department that reviews credit-repair requests.</summary>
    public const string RepairDepartment = "market-regulator";
}
