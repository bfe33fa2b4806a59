using System.Diagnostics;
using Microsoft.DurableTask;
using Supervision.Domain.Alerts;
using Supervision.Domain.Audit;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Reviews;

// The steps of one department's review: the notice, the reminder, the escalations, a request for
// more information. Each may run more than once: audit keys and alert ids derive from the input
// (with the round's suffix, so that a second round is recorded beside the first), so a rerun adds nothing.
// Each also records the step on the case (ReviewProgress: deadline, status, alerts), where the first run's
// deadline and times stand, so that the department's queue shows them.

/// <summary>
/// Tells a department's reviewers that a decision is due, unless the department has decided
/// already: a decision may be recorded over HTTP before the department's review instance exists
/// to receive it, and is returned here so that the review takes it instead of waiting.
/// </summary>
public sealed class NotifyDepartmentActivity(CaseStore cases, StageMessages messages, TimeProvider time)
    : TaskActivity<DepartmentReviewInput, DepartmentDecision?>
{
    public override async Task<DepartmentDecision?> RunAsync(TaskActivityContext context, DepartmentReviewInput input)
    {
        using var span = SupervisionTelemetry.StartContinuing(nameof(NotifyDepartmentActivity), input.TraceParent, ActivityKind.Internal);
        if (await cases.FindDecisionAsync(input.CaseId, input.Department, input.Round, CancellationToken.None) is { } recorded)
        {
            await cases.RecordProgressAsync(
                input.CaseId,
                c => ReviewProgress.Decided(c, input.Department, input.Round, recorded.Verdict, recorded.DecidedAt),
                CancellationToken.None);
            return new DepartmentDecision(recorded.Verdict, recorded.DecidedBy, recorded.Comment, recorded.DecidedAt);
        }

        var decide = $"POST /api/reviews/{input.CaseId}/departments/{input.Department}/decision";
        var text = input.Round > 1
            ? $"The enterprise objected: {input.Department} reviews its measures on case {input.CaseId} again "
                + $"within {input.DecisionWindow} (approve upholds them, reject withdraws them): {decide}"
            : $"Decision due from {input.Department} on case {input.CaseId} within {input.DecisionWindow}: {decide}";
        // The review's timers start once this returns, so the deadline shown may fall a moment before the real one.
        var now = time.GetUtcNow();
        await cases.RecordProgressAsync(
            input.CaseId,
            c => ReviewProgress.Notified(c, input.Department, input.Round, now + input.DecisionWindow),
            CancellationToken.None);
        var alertId = Alert.IdFor(AlertKind.DecisionDue, input.CaseId, input.Department) + input.RoundSuffix;
        await messages.AlertAsync(alertId, AlertKind.DecisionDue, input.Uscc, input.CaseId, text, now);
        return null;
    }
}

/// <summary>Reminds a department at half its window that its decision is due.</summary>
public sealed class RemindDepartmentActivity(AuditLog audit, CaseStore cases, StageMessages messages, TimeProvider time)
    : TaskActivity<DepartmentReviewInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, DepartmentReviewInput input)
    {
        using var span = SupervisionTelemetry.StartContinuing(nameof(RemindDepartmentActivity), input.TraceParent, ActivityKind.Internal);
        var now = time.GetUtcNow();
        var detail = $"{input.Department} reminded: half its window has passed";
        await audit.AppendAsync(
            new AuditEntry(input.CaseId, "reminder-sent", "system", now, detail, InputHash.Of(input)),
            $"reminder-{input.Department}{input.RoundSuffix}", CancellationToken.None);
        var text = $"Reminder: {input.Department} has not decided on case {input.CaseId}; "
            + $"half of its {input.DecisionWindow} window has passed.";
        var alertId = Alert.IdFor(AlertKind.DecisionDue, input.CaseId, input.Department) + input.RoundSuffix + ":reminder";
        await cases.RecordProgressAsync(
            input.CaseId,
            c => ReviewProgress.Alerted(c, input.Department, input.Round, ReviewAlertKinds.Reminder, now),
            CancellationToken.None);
        await messages.AlertAsync(alertId, AlertKind.DecisionDue, input.Uscc, input.CaseId, text, now);
        return true;
    }
}

/// <summary>Escalates a silent department to its supervisor at three quarters of its window.</summary>
public sealed class EscalateToSupervisorActivity(AuditLog audit, CaseStore cases, StageMessages messages, TimeProvider time)
    : TaskActivity<DepartmentReviewInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, DepartmentReviewInput input)
    {
        using var span = SupervisionTelemetry.StartContinuing(
            nameof(EscalateToSupervisorActivity), input.TraceParent, ActivityKind.Internal);
        var now = time.GetUtcNow();
        var detail = $"{input.Department} still silent at three quarters of its window; its supervisor may decide";
        await audit.AppendAsync(
            new AuditEntry(input.CaseId, "escalated-to-supervisor", "system", now, detail, InputHash.Of(input)),
            $"supervisor-{input.Department}{input.RoundSuffix}", CancellationToken.None);
        var text = $"Escalated to the supervisor of {input.Department}: case {input.CaseId} is undecided and its deadline is near.";
        var alertId = Alert.IdFor(AlertKind.Escalated, input.CaseId, input.Department) + input.RoundSuffix + ":supervisor";
        await cases.RecordProgressAsync(
            input.CaseId,
            c => ReviewProgress.Alerted(c, input.Department, input.Round, ReviewAlertKinds.EscalatedToSupervisor, now),
            CancellationToken.None);
        await messages.AlertAsync(alertId, AlertKind.Escalated, input.Uscc, input.CaseId, text, now);
        return true;
    }
}

/// <summary>Records that a department let its deadline pass and escalates to the case owner.</summary>
public sealed class EscalateOverdueActivity(AuditLog audit, CaseStore cases, StageMessages messages, TimeProvider time)
    : TaskActivity<DepartmentReviewInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, DepartmentReviewInput input)
    {
        using var span = SupervisionTelemetry.StartContinuing(nameof(EscalateOverdueActivity), input.TraceParent, ActivityKind.Internal);
        SupervisionTelemetry.DepartmentsOverdue.Add(1, new KeyValuePair<string, object?>("department", input.Department));
        var now = time.GetUtcNow();
        var detail = input.Round > 1
            ? $"{input.Department} did not decide on the objection within {input.DecisionWindow}; its measures stand as decided"
            : $"{input.Department} did not decide within {input.DecisionWindow}; no measure by default";
        await audit.AppendAsync(
            new AuditEntry(input.CaseId, "department-overdue", "system", now, detail, ContentHash.Sha256Hex(input.ToString())),
            ReviewNames.OverdueKeyFor(input.Department, input.Round), CancellationToken.None);
        var text = input.Round > 1
            ? $"{input.Department} did not decide on the enterprise's objection on case {input.CaseId} before its deadline; "
                + "escalated to the case owner."
            : $"{input.Department} did not decide on case {input.CaseId} before its deadline; escalated to the case owner. "
                + "No measure is imposed without a decision.";
        var alertId = Alert.IdFor(AlertKind.Escalated, input.CaseId, input.Department) + input.RoundSuffix;
        await cases.RecordProgressAsync(
            input.CaseId,
            c => ReviewProgress.Alerted(c, input.Department, input.Round, ReviewAlertKinds.EscalatedToCaseOwner, now),
            CancellationToken.None);
        await messages.AlertAsync(alertId, AlertKind.Escalated, input.Uscc, input.CaseId, text, now);
        return true;
    }
}

/// <summary>Records a department's request for more information; its window restarts (up to the configured number of times).</summary>
public sealed class RecordInformationRequestActivity(AuditLog audit, CaseStore cases, StageMessages messages, TimeProvider time)
    : TaskActivity<InformationRequestInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, InformationRequestInput input)
    {
        var review = input.Review;
        var asked = input.Request;
        var detail = input.WindowRestarted
            ? $"{review.Department} asks for more information (request {input.Count}); its window restarts: {asked.Comment}"
            : $"{review.Department} asks for more information again (request {input.Count}) but has used its allowance; "
                + $"the deadline stands: {asked.Comment}";
        await audit.AppendAsync(
            new AuditEntry(review.CaseId, "information-requested", asked.DecidedBy, asked.DecidedAt, detail, InputHash.Of(input)),
            $"information-{review.Department}{review.RoundSuffix}-{input.Count}", CancellationToken.None);
        // The window restarts when the review resumes after this, a moment later than the deadline shown.
        DateTimeOffset? restarted = input.WindowRestarted ? time.GetUtcNow() + review.DecisionWindow : null;
        await cases.RecordProgressAsync(
            review.CaseId,
            c => ReviewProgress.InformationRequested(c, review.Department, review.Round, input.Count, restarted),
            CancellationToken.None);
        var alertId = $"{review.CaseId}:InformationRequested:{review.Department}{review.RoundSuffix}:{input.Count}";
        await messages.AlertAsync(alertId, AlertKind.DecisionDue, review.Uscc, review.CaseId, $"Case owner: {detail}", asked.DecidedAt);
        return true;
    }
}

/// <summary>
/// A department's request for more information: the request as the reviewer made it, which
/// request of the department's this is, and whether its window restarts (within the allowance).
/// </summary>
public sealed record InformationRequestInput(DepartmentReviewInput Review, DepartmentDecision Request, int Count, bool WindowRestarted);
