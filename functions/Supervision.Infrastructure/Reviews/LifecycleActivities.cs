using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.DurableTask;
using Supervision.Domain.Alerts;
using Supervision.Domain.Audit;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Alerts;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Reviews;

// The steps of a review's life after the first notice. Like every activity here, each may run
// more than once: audit keys and alert ids derive from the input, so a rerun adds nothing.

/// <summary>Reminds a department at half its window that its decision is due.</summary>
public sealed class RemindDepartmentActivity(AuditLog audit, AlertOutbox alerts, TimeProvider time) : TaskActivity<DepartmentReviewInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, DepartmentReviewInput input)
    {
        using var span = SupervisionTelemetry.StartContinuing(nameof(RemindDepartmentActivity), input.TraceParent, ActivityKind.Internal);
        var now = time.GetUtcNow();
        await audit.AppendAsync(new AuditEntry(input.CaseId, "reminder-sent", "system", now, $"{input.Department} reminded: half its window has passed", Hash(input)), $"reminder-{input.Department}{input.RoundSuffix}", CancellationToken.None);
        await alerts.EnqueueAsync(
            new Alert(Alert.IdFor(AlertKind.DecisionDue, input.CaseId, input.Department) + input.RoundSuffix + ":reminder", AlertKind.DecisionDue, input.Uscc, input.CaseId,
                $"Reminder: {input.Department} has not decided on case {input.CaseId}; half of its {input.DecisionWindow} window has passed.", now, SupervisionTelemetry.CurrentTraceParent),
            CancellationToken.None);
        return true;
    }

    internal static string Hash(object input) => ContentHash.Sha256Hex(JsonSerializer.Serialize(input, MessageJson.Options));
}

/// <summary>Escalates a silent department to its supervisor at three quarters of its window.</summary>
public sealed class EscalateToSupervisorActivity(AuditLog audit, AlertOutbox alerts, TimeProvider time) : TaskActivity<DepartmentReviewInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, DepartmentReviewInput input)
    {
        using var span = SupervisionTelemetry.StartContinuing(nameof(EscalateToSupervisorActivity), input.TraceParent, ActivityKind.Internal);
        var now = time.GetUtcNow();
        await audit.AppendAsync(new AuditEntry(input.CaseId, "escalated-to-supervisor", "system", now, $"{input.Department} still silent at three quarters of its window; its supervisor may decide", RemindDepartmentActivity.Hash(input)), $"supervisor-{input.Department}{input.RoundSuffix}", CancellationToken.None);
        await alerts.EnqueueAsync(
            new Alert(Alert.IdFor(AlertKind.Escalated, input.CaseId, input.Department) + input.RoundSuffix + ":supervisor", AlertKind.Escalated, input.Uscc, input.CaseId,
                $"Escalated to the supervisor of {input.Department}: case {input.CaseId} is undecided and its deadline is near.", now, SupervisionTelemetry.CurrentTraceParent),
            CancellationToken.None);
        return true;
    }
}

/// <summary>Records a department's request for more information; its window restarts (up to the configured number of times).</summary>
public sealed class RecordInformationRequestActivity(AuditLog audit, AlertOutbox alerts) : TaskActivity<InformationRequestInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, InformationRequestInput input)
    {
        var review = input.Review;
        var detail = input.WindowRestarted
            ? $"{review.Department} asks for more information (request {input.Count}); its window restarts: {input.Request.Comment}"
            : $"{review.Department} asks for more information again (request {input.Count}) but has used its allowance; the deadline stands: {input.Request.Comment}";
        await audit.AppendAsync(new AuditEntry(review.CaseId, "information-requested", input.Request.DecidedBy, input.Request.DecidedAt, detail, RemindDepartmentActivity.Hash(input)), $"information-{review.Department}{review.RoundSuffix}-{input.Count}", CancellationToken.None);
        await alerts.EnqueueAsync(
            new Alert($"{review.CaseId}:InformationRequested:{review.Department}{review.RoundSuffix}:{input.Count}", AlertKind.DecisionDue, review.Uscc, review.CaseId,
                $"Case owner: {detail}", input.Request.DecidedAt, SupervisionTelemetry.CurrentTraceParent),
            CancellationToken.None);
        return true;
    }
}

/// <summary>Records that a department implemented its measures, or chases it when it did not report in time.</summary>
public sealed class RecordImplementationActivity(SupervisionStorage storage, AuditLog audit, AlertOutbox alerts, TimeProvider time) : TaskActivity<ImplementationInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ImplementationInput input)
    {
        var request = input.Request;
        var now = time.GetUtcNow();
        var table = storage.Table(StorageNames.Tables.Measures);
        foreach (var measure in request.Departments.Where(d => d.Department == input.Department).SelectMany(d => d.Measures))
        {
            await table.UpsertEntityAsync(
                new TableEntity(request.Uscc, TableExtensions.SafeKey($"{request.CaseId}|{input.Department}|{measure.Code}"))
                {
                    ["Implemented"] = input.Report is not null,
                    ["ImplementedAt"] = input.Report?.ReportedAt,
                    ["ImplementedBy"] = input.Report?.ReportedBy,
                },
                TableUpdateMode.Merge, CancellationToken.None);
        }

        if (input.Report is { } report)
        {
            await audit.AppendAsync(new AuditEntry(request.CaseId, "implementation-reported", report.ReportedBy, report.ReportedAt, $"{input.Department} implemented its measures{(report.Comment is null ? string.Empty : $": {report.Comment}")}", RemindDepartmentActivity.Hash(report)), $"implemented-{input.Department}", CancellationToken.None);
            return true;
        }

        await audit.AppendAsync(new AuditEntry(request.CaseId, "implementation-overdue", "system", now, $"{input.Department} has not reported implementing its measures", RemindDepartmentActivity.Hash(input)), $"implementation-overdue-{input.Department}", CancellationToken.None);
        await alerts.EnqueueAsync(
            new Alert($"{request.CaseId}:ImplementationOverdue:{input.Department}", AlertKind.Escalated, request.Uscc, request.CaseId,
                $"{input.Department} has not reported implementing its measures on case {request.CaseId}; escalated to the case owner.", now, SupervisionTelemetry.CurrentTraceParent),
            CancellationToken.None);
        return false;
    }
}

/// <summary>Notifies the enterprise of the measures, their legal basis and end, and how to object or ask for credit repair.</summary>
public sealed class NotifyEnterpriseActivity(CaseStore cases, AuditLog audit, AlertOutbox alerts, TimeProvider time) : TaskActivity<EnterpriseNoticeInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, EnterpriseNoticeInput input)
    {
        var request = input.Request;
        var now = time.GetUtcNow();
        DateTimeOffset? objectionDeadline = input.ObjectionDeadlineUtc is { } utc ? new DateTimeOffset(utc, TimeSpan.Zero) : null;
        var lines = string.Join("; ", input.Measures.Select(m => $"{m.Department}: {m.Description} ({m.LegalBasis}) until {m.EndsAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}"));
        var objection = objectionDeadline is { } deadline
            ? $" An objection may be filed until {deadline.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC at POST /api/reviews/{request.CaseId}/objection; it re-opens the review."
            : string.Empty;
        var notice = request.Kind == MemorandumKind.Incentive
            ? $"Notice to {request.EnterpriseName} ({request.Uscc}): joint incentives granted under {request.MemorandumId}: {lines}."
            : $"Notice to {request.EnterpriseName} ({request.Uscc}): joint punishment under {request.MemorandumId}: {lines}.{objection} Credit repair may be requested at POST /api/reviews/{request.CaseId}/repair.";

        // The API refuses objections after the deadline, so the case record carries it.
        if (objectionDeadline is not null && await cases.GetAsync(request.CaseId, CancellationToken.None) is { } record)
        {
            await cases.SaveAsync(record with { ObjectionDeadline = objectionDeadline }, CancellationToken.None);
        }

        await audit.AppendAsync(new AuditEntry(request.CaseId, "enterprise-notified", "system", now, notice, RemindDepartmentActivity.Hash(input)), "enterprise-notified", CancellationToken.None);
        await alerts.EnqueueAsync(new Alert($"{request.CaseId}:EnterpriseNotified", AlertKind.MeasuresApplied, request.Uscc, request.CaseId, notice, now, SupervisionTelemetry.CurrentTraceParent), CancellationToken.None);
        return true;
    }
}

/// <summary>Records the enterprise's objection, re-opens the case for a second round, and alerts the departments with measures.</summary>
public sealed class ReopenOnObjectionActivity(CaseStore cases, AuditLog audit, AlertOutbox alerts) : TaskActivity<ObjectionInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ObjectionInput input)
    {
        var request = input.Request;
        var objection = input.Objection;
        if (await cases.GetAsync(request.CaseId, CancellationToken.None) is { } record)
        {
            await cases.SaveAsync(record with { Status = CaseStatus.Pending, Round = 2 }, CancellationToken.None);
        }

        var departments = string.Join(", ", input.Measures.Select(m => m.Department).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        await audit.AppendAsync(
            new AuditEntry(request.CaseId, "review-reopened", objection.SubmittedBy, objection.SubmittedAt, $"objection by {request.Uscc}: {objection.Reason}; {departments} review their measures again", RemindDepartmentActivity.Hash(objection)),
            "review-reopened", CancellationToken.None);
        await alerts.EnqueueAsync(
            new Alert(Alert.IdFor(AlertKind.ObjectionReceived, request.CaseId), AlertKind.ObjectionReceived, request.Uscc, request.CaseId,
                $"{request.EnterpriseName} ({request.Uscc}) objects to the measures of case {request.CaseId}; {departments} review them again: {objection.Reason}",
                objection.SubmittedAt, SupervisionTelemetry.CurrentTraceParent),
            CancellationToken.None);
        return true;
    }
}

/// <summary>Records how the re-opened review ended: which measures stand and which were withdrawn.</summary>
public sealed class ConcludeObjectionActivity(CaseStore cases, AuditLog audit, TimeProvider time) : TaskActivity<ObjectionOutcomeInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ObjectionOutcomeInput input)
    {
        var request = input.Request;
        if (await cases.GetAsync(request.CaseId, CancellationToken.None) is { } record)
        {
            var outcome = new ReviewOutcome(request.CaseId, input.SecondRound, input.Standing);
            await cases.SaveAsync(record with { Status = input.Standing.Count > 0 ? CaseStatus.MeasuresInForce : CaseStatus.Closed, Outcome = outcome }, CancellationToken.None);
        }

        var detail = string.Join("; ", input.SecondRound.Select(o => o.Status switch
        {
            DepartmentOutcomeStatus.Approved => $"{o.Department} upholds its measures",
            DepartmentOutcomeStatus.Rejected => $"{o.Department} withdraws its measures",
            _ => $"{o.Department} did not decide; its measures stand",
        }));
        await audit.AppendAsync(
            new AuditEntry(request.CaseId, "objection-decided", "system", time.GetUtcNow(), detail, RemindDepartmentActivity.Hash(input.SecondRound)),
            "objection-decided", CancellationToken.None);
        return true;
    }
}

/// <summary>Lifts measures (at their end, or on approved credit repair): rows marked lifted, audited, announced.</summary>
public sealed class LiftMeasuresActivity(SupervisionStorage storage, AuditLog audit, AlertOutbox alerts) : TaskActivity<LiftMeasuresInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, LiftMeasuresInput input)
    {
        var request = input.Request;
        var liftedAt = new DateTimeOffset(input.LiftedAtUtc, TimeSpan.Zero);
        var table = storage.Table(StorageNames.Tables.Measures);
        foreach (var measure in input.Measures)
        {
            await table.UpsertEntityAsync(
                new TableEntity(measure.Uscc, TableExtensions.SafeKey($"{measure.CaseId}|{measure.Department}|{measure.Code}"))
                {
                    ["Status"] = "Lifted",
                    ["LiftedAt"] = liftedAt,
                    ["LiftReason"] = input.Reason,
                },
                TableUpdateMode.Merge, CancellationToken.None);
        }

        var codes = string.Join(", ", input.Measures.Select(m => m.Code).Order(StringComparer.Ordinal));
        await audit.AppendAsync(new AuditEntry(request.CaseId, "measures-lifted", "system", liftedAt, $"{codes} lifted: {input.Reason}", RemindDepartmentActivity.Hash(input.Measures)), $"lifted-{ContentHash.Sha256Hex(codes)[..16]}", CancellationToken.None);
        await alerts.EnqueueAsync(
            new Alert($"{Alert.IdFor(AlertKind.MeasuresLifted, request.CaseId)}:{ContentHash.Sha256Hex(codes)[..16]}", AlertKind.MeasuresLifted, request.Uscc, request.CaseId,
                $"Measures lifted for {request.EnterpriseName} ({request.Uscc}) on case {request.CaseId} ({input.Reason}): {codes}.", liftedAt, SupervisionTelemetry.CurrentTraceParent),
            CancellationToken.None);
        return true;
    }
}

/// <summary>Records an enterprise's credit-repair request and asks the market regulator to decide.</summary>
public sealed class RecordRepairRequestActivity(AuditLog audit, AlertOutbox alerts) : TaskActivity<RepairRequestInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RepairRequestInput input)
    {
        var request = input.Request;
        await audit.AppendAsync(new AuditEntry(request.CaseId, "repair-requested", input.Repair.SubmittedBy, input.Repair.SubmittedAt, input.Repair.Reason, RemindDepartmentActivity.Hash(input.Repair)), $"repair-{input.Repair.SubmittedAt.ToUnixTimeMilliseconds()}", CancellationToken.None);
        await alerts.EnqueueAsync(
            new Alert($"{request.CaseId}:RepairRequested:{input.Repair.SubmittedAt.ToUnixTimeMilliseconds()}", AlertKind.DecisionDue, request.Uscc, request.CaseId,
                $"{request.EnterpriseName} asks for early credit repair on case {request.CaseId}; {ReviewNames.RepairDepartment} decides at POST /api/reviews/{request.CaseId}/repair/decision: {input.Repair.Reason}",
                input.Repair.SubmittedAt, SupervisionTelemetry.CurrentTraceParent),
            CancellationToken.None);
        return true;
    }
}

/// <summary>Records the repair reviewer's verdict, or that none came in time (the measures stay).</summary>
public sealed class RecordRepairDecisionActivity(AuditLog audit, TimeProvider time) : TaskActivity<RepairDecisionInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RepairDecisionInput input)
    {
        var decision = input.Decision;
        var detail = decision is null
            ? "no repair decision within the window; the measures stay in force"
            : $"{decision.Verdict}{(decision.Comment is null ? string.Empty : $": {decision.Comment}")}";
        await audit.AppendAsync(
            new AuditEntry(input.Request.CaseId, "repair-decided", decision?.DecidedBy ?? "system", decision?.DecidedAt ?? time.GetUtcNow(), detail, RemindDepartmentActivity.Hash(input)),
            $"repair-decided-{input.Repair.SubmittedAt.ToUnixTimeMilliseconds()}", CancellationToken.None);
        return true;
    }
}
