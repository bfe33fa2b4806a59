using Microsoft.Extensions.Logging;
using Supervision.Domain.Audit;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Problems;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// The one place the review rules for people's answers live: department decisions and requests for
/// information, implementation reports, the enterprise's objection, credit-repair requests and the
/// market regulator's rulings on them. It takes a caller the API has already let through for the
/// route (who may call at all is the API gate's rule; which enterprise a case concerns is the desk's),
/// records and audits what it accepts, raises the review's Durable events through
/// <see cref="IReviewEvents"/>, and answers with a <see cref="DeskOutcome"/>, never with HTTP.
/// </summary>
public sealed partial class DecisionDesk(ICaseBook cases, IAuditTrail audit, TimeProvider time, ILogger<DecisionDesk> logger)
{
    /// <summary>
    /// A department's verdict on a case in its current round. A final verdict (approve, reject) is stored
    /// once: the identical request again is a repeat; another verdict or another comment is a conflict
    /// naming the decision that stands. Asking for information is not final, so the department's later
    /// approval or rejection is a new decision.
    /// </summary>
    public async Task<DeskOutcome> DecideAsync(
        Caller caller, string caseId, string department, string body, IReviewEvents events, CancellationToken cancellationToken)
    {
        if (DeskBodies.TooLarge(body, "A decision body") is { } tooLarge)
        {
            return tooLarge;
        }

        var read = DeskBodies.ReadDecision(body);
        if (read.Refusal is { } refusal)
        {
            return refusal;
        }

        var record = await cases.GetAsync(caseId, cancellationToken);
        if (record is null || !record.Departments.Contains(department))
        {
            return DeskOutcome.NotFound(ProblemKinds.NoSuchReview, $"Case '{caseId}' has no review by '{department}'.");
        }

        // After an objection only the departments with measures review again (round 2).
        if (record.Round > 1 && record.Outcome?.Measures.Any(m => m.Department == department) != true)
        {
            return DeskOutcome.Conflict(
                ProblemKinds.NotInThisRound,
                $"'{department}' has no measure on case '{caseId}' and does not review the enterprise's objection.");
        }

        var instance = await events.FindAsync(caseId, cancellationToken);
        if (instance is null)
        {
            return DeskOutcome.Conflict(ProblemKinds.ReviewNotOpen, $"The review of case '{caseId}' has not started; try again shortly.");
        }

        var answer = new Answer(caller, record, department, read.Decision!, ContentHash.Sha256Hex(body), time.GetUtcNow());
        return answer.Decision.Verdict == DecisionVerdict.RequestInformation
            ? await RequestInformationAsync(answer, events, cancellationToken)
            : await RecordDecisionAsync(answer, instance, events, cancellationToken);
    }

    /// <summary>A department reports it has implemented its measures (initiate – respond – feedback).</summary>
    public async Task<DeskOutcome> ReportImplementationAsync(
        Caller caller, string caseId, string department, string body, IReviewEvents events, CancellationToken cancellationToken)
    {
        if (DeskBodies.TooLarge(body, "An implementation report") is { } tooLarge)
        {
            return tooLarge;
        }

        var record = await cases.GetAsync(caseId, cancellationToken);
        if (record?.Outcome is null || !record.Outcome.Measures.Any(m => m.Department == department))
        {
            return DeskOutcome.NotFound(ProblemKinds.NoMeasuresToImplement, $"'{department}' has no applied measure on case '{caseId}'.");
        }

        var comment = DeskBodies.ReadComment(body);
        var now = time.GetUtcNow();
        var key = $"implementation-received-{department}";
        var repeated = await audit.ExistsAsync(caseId, key, cancellationToken);
        if (!repeated)
        {
            var entry = new AuditEntry(
                caseId, "implementation-report-received", caller.Subject, now, $"{department}: {comment}", ContentHash.Sha256Hex(body));
            await audit.AppendAsync(entry, key, cancellationToken);
        }

        // Raised on a repeat too, in case the first call died between audit and raise; the orchestration takes the first.
        var report = new ImplementationReport(department, caller.Subject, comment, now);
        await events.RaiseAsync(caseId, ReviewNames.ImplementedEventFor(department), report, cancellationToken);
        var answer = new { CaseId = caseId, Department = department, Repeated = repeated };
        return repeated ? DeskOutcome.Repeated(answer) : DeskOutcome.Accepted(answer);
    }

    private async Task<DeskOutcome> RequestInformationAsync(Answer answer, IReviewEvents events, CancellationToken cancellationToken)
    {
        var (caseId, department, round) = (answer.Case.CaseId, answer.Department, answer.Case.Round);
        if (await cases.FindDecisionAsync(caseId, department, round, cancellationToken) is { } standing)
        {
            return DeskOutcome.Conflict(ProblemKinds.AlreadyDecided, $"{Describe(standing)}; asking for information comes too late.");
        }

        // Nothing is stored as the department's verdict, so the instance that counts the request must
        // exist to receive it.
        var target = answer.Case.DecisionInstanceFor(department);
        if (target != caseId && await events.FindAsync(target, cancellationToken) is null)
        {
            return DeskOutcome.Conflict(
                ProblemKinds.ReviewNotOpen, $"The review by '{department}' of case '{caseId}' has not started; try again shortly.");
        }

        // The same request sent twice is audited once and counted once (its key is the body).
        var body = new { CaseId = caseId, Department = department, answer.Decision.Verdict, Repeated = false };
        var key = $"information-request-{department}{ReviewNames.RoundSuffix(round)}-{answer.Sha256[..16]}";
        if (await audit.ExistsAsync(caseId, key, cancellationToken))
        {
            return DeskOutcome.Repeated(body with { Repeated = true });
        }

        var detail = $"{department} ({RoleIn(answer.Caller, department)}): {answer.Decision.Comment}";
        var entry = new AuditEntry(caseId, "information-request-received", answer.Caller.Subject, answer.At, detail, answer.Sha256);
        await audit.AppendAsync(entry, key, cancellationToken);
        var request = new DepartmentDecision(DecisionVerdict.RequestInformation, answer.Caller.Subject, answer.Decision.Comment, answer.At);
        await events.RaiseAsync(target, ReviewNames.DecisionEventFor(department, round), request, cancellationToken);
        return DeskOutcome.Accepted(body);
    }

    private async Task<DeskOutcome> RecordDecisionAsync(
        Answer answer, ReviewInstance instance, IReviewEvents events, CancellationToken cancellationToken)
    {
        var (caseId, department, round) = (answer.Case.CaseId, answer.Department, answer.Case.Round);
        var (verdict, comment) = (answer.Decision.Verdict, answer.Decision.Comment);
        var (standing, inserted) = await cases.RecordDecisionAsync(
            new DecisionRecord(caseId, department, verdict, answer.Caller.Subject, comment, answer.At, round), cancellationToken);
        if (!inserted && !Repeats(standing, answer))
        {
            logger.LogInformation(
                "{Subject} sent {Verdict} for {Department} on {CaseId}, where {Standing} stands",
                answer.Caller.Subject,
                verdict,
                department,
                caseId,
                standing);
            return DeskOutcome.Conflict(
                ProblemKinds.AlreadyDecided, $"{Describe(standing)}; a different verdict or comment does not replace it.");
        }

        if (await audit.ExistsAsync(caseId, ReviewNames.OverdueKeyFor(department, round), cancellationToken))
        {
            // Kept as a record of the late answer, but the review has moved on without it.
            return DeskOutcome.Conflict(
                ProblemKinds.DeadlinePassed, $"'{department}' was recorded overdue on case '{caseId}'; the case owner has been alerted.");
        }

        if (inserted)
        {
            var role = RoleIn(answer.Caller, department);
            var detail = $"{department}: {verdict} ({role}){(comment is null ? string.Empty : $": {comment}")}";
            var action = round > 1 ? "objection-decision" : "decision";
            var entry = new AuditEntry(caseId, action, answer.Caller.Subject, answer.At, detail, answer.Sha256);
            await audit.AppendAsync(entry, $"decision-{department}{ReviewNames.RoundSuffix(round)}", cancellationToken);
        }

        // On a repeat too, in case the first call died before it; the department's queue shows the verdict.
        await cases.RecordProgressAsync(
            caseId, c => ReviewProgress.Decided(c, department, round, standing.Verdict, standing.DecidedAt), cancellationToken);

        if (!instance.Running)
        {
            return inserted
                ? DeskOutcome.Conflict(ProblemKinds.ReviewClosed, $"Case '{caseId}' ended ({instance.Status}) before this decision.")
                : DeskOutcome.Repeated(new { CaseId = caseId, Department = department, Decision = standing, Repeated = true });
        }

        // Raised again on a repeated request too: if the first request stored the decision but died
        // before raising, the repeat completes it. The orchestration takes the first event only. A
        // department review that has not started yet reads the stored decision when it does.
        var target = answer.Case.DecisionInstanceFor(department);
        if (target == caseId || await events.FindAsync(target, cancellationToken) is not null)
        {
            var decision = new DepartmentDecision(standing.Verdict, standing.DecidedBy, standing.Comment, standing.DecidedAt);
            await events.RaiseAsync(target, ReviewNames.DecisionEventFor(department, round), decision, cancellationToken);
        }

        var body = new { CaseId = caseId, Department = department, Round = round, Decision = standing, Repeated = !inserted };
        return inserted ? DeskOutcome.Accepted(body) : DeskOutcome.Repeated(body);
    }

    /// <summary>The same verdict with the same comment from the same person: a replay, not a new decision.</summary>
    private static bool Repeats(DecisionRecord standing, Answer answer) =>
        standing.Verdict == answer.Decision.Verdict
        && string.Equals(standing.DecidedBy, answer.Caller.Subject, StringComparison.Ordinal)
        && string.Equals(standing.Comment ?? string.Empty, answer.Decision.Comment ?? string.Empty, StringComparison.Ordinal);

    /// <summary>The role in which the caller acted for the department, as the audit has always said it.</summary>
    private static string RoleIn(Caller caller, string department) =>
        caller.IsSupervisorOf(department) ? Roles.Supervisor : Roles.Reviewer;

    private static string Describe(DecisionRecord standing) =>
        $"{standing.DecidedBy} already decided '{standing.Verdict}' for '{standing.Department}' at {standing.DecidedAt:O}"
        + (standing.Comment is null ? " with no comment" : $" with the comment \"{standing.Comment}\"");

    /// <summary>One department's answer on a case, as the desk received it.</summary>
    private sealed record Answer(
        Caller Caller, CaseRecord Case, string Department, DecisionText Decision, string Sha256, DateTimeOffset At);
}
