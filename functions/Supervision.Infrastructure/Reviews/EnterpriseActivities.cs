using System.Globalization;
using Microsoft.DurableTask;
using Supervision.Domain.Alerts;
using Supervision.Domain.Audit;
using Supervision.Domain.Ingestion;

using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Reviews;

// The enterprise's side of a review: the notice of its measures, its objection and the re-review
// that follows, and its request for credit repair with the market regulator's ruling. Like every
// activity here, each may run more than once: audit keys and alert ids derive from the input.

/// <summary>Notifies the enterprise of the measures, their legal basis and end, and how to object or ask for credit repair.</summary>
public sealed class NotifyEnterpriseActivity(CaseStore cases, AuditLog audit, StageMessages messages, TimeProvider time)
    : TaskActivity<EnterpriseNoticeInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, EnterpriseNoticeInput input)
    {
        var request = input.Request;
        var now = time.GetUtcNow();
        DateTimeOffset? objectionDeadline = input.ObjectionDeadlineUtc is { } utc ? new DateTimeOffset(utc, TimeSpan.Zero) : null;
        var notice = Notice(request, input.Measures, objectionDeadline);

        // The API refuses objections after the deadline, so the case record carries it.
        if (objectionDeadline is not null && await cases.GetAsync(request.CaseId, CancellationToken.None) is { } record)
        {
            await cases.SaveAsync(record with { ObjectionDeadline = objectionDeadline }, CancellationToken.None);
        }

        await audit.AppendAsync(
            new AuditEntry(request.CaseId, "enterprise-notified", "system", now, notice, InputHash.Of(input)),
            "enterprise-notified", CancellationToken.None);
        var alertId = $"{request.CaseId}:EnterpriseNotified";
        await messages.AlertAsync(alertId, AlertKind.MeasuresApplied, request.Uscc, request.CaseId, notice, now);
        return true;
    }

    /// <summary>The notice: each measure with its basis and end; for punishments, how to object (if it may) and ask for repair.</summary>
    private static string Notice(ReviewRequest request, IReadOnlyList<AppliedMeasure> measures, DateTimeOffset? objectionDeadline)
    {
        var lines = string.Join("; ", measures.Select(m => $"{m.Department}: {m.Description} ({m.LegalBasis}) until {Minutes(m.EndsAt)}"));
        var to = $"Notice to {request.EnterpriseName} ({request.Uscc})";
        if (request.Kind == MemorandumKind.Incentive)
        {
            return $"{to}: joint incentives granted under {request.MemorandumId}: {lines}.";
        }

        var objection = objectionDeadline is { } deadline
            ? $" An objection may be filed until {Minutes(deadline)} UTC at POST /api/reviews/{request.CaseId}/objection; "
                + "it re-opens the review."
            : string.Empty;
        return $"{to}: joint punishment under {request.MemorandumId}: {lines}.{objection} "
            + $"Credit repair may be requested at POST /api/reviews/{request.CaseId}/repair.";
    }

    private static string Minutes(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>The measures the enterprise is notified of, and until when it may object (UTC; none: no objection stage).</summary>
public sealed record EnterpriseNoticeInput(
    ReviewRequest Request, IReadOnlyList<AppliedMeasure> Measures, DateTime? ObjectionDeadlineUtc = null);

/// <summary>Records the enterprise's objection, re-opens the case for a second round, and alerts the departments with measures.</summary>
public sealed class ReopenOnObjectionActivity(CaseStore cases, AuditLog audit, StageMessages messages) : TaskActivity<ObjectionInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ObjectionInput input)
    {
        var request = input.Request;
        var objection = input.Objection;
        if (await cases.GetAsync(request.CaseId, CancellationToken.None) is { } record)
        {
            await cases.SaveAsync(record with { Status = CaseStatus.Pending, Round = 2 }, CancellationToken.None);
        }

        var departments = string.Join(
            ", ", input.Measures.Select(m => m.Department).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        var detail = $"objection by {request.Uscc}: {objection.Reason}; {departments} review their measures again";
        await audit.AppendAsync(
            new AuditEntry(
                request.CaseId, "review-reopened", objection.SubmittedBy, objection.SubmittedAt, detail, InputHash.Of(objection)),
            "review-reopened", CancellationToken.None);
        var text = $"{request.EnterpriseName} ({request.Uscc}) objects to the measures of case {request.CaseId}; "
            + $"{departments} review them again: {objection.Reason}";
        var alertId = Alert.IdFor(AlertKind.ObjectionReceived, request.CaseId);
        await messages.AlertAsync(alertId, AlertKind.ObjectionReceived, request.Uscc, request.CaseId, text, objection.SubmittedAt);
        return true;
    }
}

/// <summary>The enterprise's objection and the measures it objects to (the departments that imposed them review again).</summary>
public sealed record ObjectionInput(ReviewRequest Request, Objection Objection, IReadOnlyList<AppliedMeasure> Measures);

/// <summary>Records how the re-opened review ended: which measures stand and which were withdrawn.</summary>
public sealed class ConcludeObjectionActivity(CaseStore cases, AuditLog audit, TimeProvider time)
    : TaskActivity<ObjectionOutcomeInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ObjectionOutcomeInput input)
    {
        var request = input.Request;
        if (await cases.GetAsync(request.CaseId, CancellationToken.None) is { } record)
        {
            var outcome = new ReviewOutcome(request.CaseId, input.SecondRound, input.Standing);
            var status = input.Standing.Count > 0 ? CaseStatus.MeasuresInForce : CaseStatus.Closed;

            // Every measure withdrawn closes the case here, before CloseCaseActivity runs: record when,
            // so that a re-offence is judged against this moment and not the case's opening.
            var closedAt = status == CaseStatus.Closed ? record.ClosedAt ?? time.GetUtcNow() : (DateTimeOffset?)null;
            await cases.SaveAsync(record with { Status = status, Outcome = outcome, ClosedAt = closedAt }, CancellationToken.None);
        }

        var detail = string.Join("; ", input.SecondRound.Select(o => o.Status switch
        {
            DepartmentOutcomeStatus.Approved => $"{o.Department} upholds its measures",
            DepartmentOutcomeStatus.Rejected => $"{o.Department} withdraws its measures",
            _ => $"{o.Department} did not decide; its measures stand",
        }));
        await audit.AppendAsync(
            new AuditEntry(request.CaseId, "objection-decided", "system", time.GetUtcNow(), detail, InputHash.Of(input.SecondRound)),
            "objection-decided", CancellationToken.None);
        return true;
    }
}

/// <summary>The objection, the second round's outcomes, and the measures that stand after it.</summary>
public sealed record ObjectionOutcomeInput(
    ReviewRequest Request, Objection Objection, IReadOnlyList<DepartmentOutcome> SecondRound, IReadOnlyList<AppliedMeasure> Standing);

/// <summary>Records an enterprise's credit-repair request and asks the market regulator to decide.</summary>
public sealed class RecordRepairRequestActivity(AuditLog audit, StageMessages messages) : TaskActivity<RepairRequestInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RepairRequestInput input)
    {
        var request = input.Request;
        var repair = input.Repair;
        var submitted = repair.SubmittedAt.ToUnixTimeMilliseconds();
        await audit.AppendAsync(
            new AuditEntry(request.CaseId, "repair-requested", repair.SubmittedBy, repair.SubmittedAt, repair.Reason, InputHash.Of(repair)),
            $"repair-{submitted}", CancellationToken.None);
        var text = $"{request.EnterpriseName} asks for early credit repair on case {request.CaseId}; "
            + $"{ReviewNames.RepairDepartment} decides at POST /api/reviews/{request.CaseId}/repair/decision: {repair.Reason}";
        var alertId = $"{request.CaseId}:RepairRequested:{submitted}";
        await messages.AlertAsync(alertId, AlertKind.DecisionDue, request.Uscc, request.CaseId, text, repair.SubmittedAt);
        return true;
    }
}

/// <summary>The enterprise's request for credit repair on a case.</summary>
public sealed record RepairRequestInput(ReviewRequest Request, RepairRequest Repair);

/// <summary>Records the repair reviewer's verdict, or that none came in time (the measures stay).</summary>
public sealed class RecordRepairDecisionActivity(AuditLog audit, TimeProvider time) : TaskActivity<RepairDecisionInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RepairDecisionInput input)
    {
        var decision = input.Decision;
        var detail = decision is null
            ? "no repair decision within the window; the measures stay in force"
            : $"{decision.Verdict}{(decision.Comment is null ? string.Empty : $": {decision.Comment}")}";
        var decidedBy = decision?.DecidedBy ?? "system";
        var decidedAt = decision?.DecidedAt ?? time.GetUtcNow();
        await audit.AppendAsync(
            new AuditEntry(input.Request.CaseId, "repair-decided", decidedBy, decidedAt, detail, InputHash.Of(input)),
            $"repair-decided-{input.Repair.SubmittedAt.ToUnixTimeMilliseconds()}", CancellationToken.None);
        return true;
    }
}

/// <summary>The repair request and the market regulator's ruling on it, or none when its window passed.</summary>
public sealed record RepairDecisionInput(ReviewRequest Request, RepairRequest Repair, DepartmentDecision? Decision);
