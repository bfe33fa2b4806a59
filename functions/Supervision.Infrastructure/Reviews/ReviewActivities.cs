using System.Diagnostics;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.DurableTask;
using Supervision.Domain.Alerts;
using Supervision.Domain.Audit;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Alerts;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Reviews;

// Every activity here may run more than once for the same input (at-least-once delivery); each
// writes with keys derived from its input, so a second run rewrites what the first one wrote.

/// <summary>Records the case as pending, audits the opening, and tells regulators the enterprise is flagged.</summary>
public sealed class OpenCaseActivity(CaseStore cases, AuditLog audit, AlertOutbox alerts) : TaskActivity<ReviewRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ReviewRequest request)
    {
        using var span = SupervisionTelemetry.StartContinuing(nameof(OpenCaseActivity), request.TraceParent, ActivityKind.Internal);
        var existing = await cases.GetAsync(request.CaseId, CancellationToken.None);
        if (existing is null || existing.Status != CaseStatus.Closed)
        {
            await cases.SaveAsync(CaseRecord.Of(request, CaseStatus.Pending, null), CancellationToken.None);
        }

        var inputs = ContentHash.Sha256Hex(JsonSerializer.Serialize(request, MessageJson.Options));
        await audit.AppendAsync(
            new AuditEntry(request.CaseId, "case-opened", "system", request.OpenedAt, $"{request.MemorandumId} for {request.Uscc} at grade {request.Grade} (score {request.Score}){(request.Basis is null ? string.Empty : $"; {request.Basis}")}{(request.CaseFile is null ? string.Empty : $"; case file {request.CaseFile} sha256 {request.CaseFileSha256}")}", inputs),
            "case-opened", CancellationToken.None);
        await alerts.EnqueueAsync(
            new Alert(Alert.IdFor(AlertKind.EnterpriseFlagged, request.CaseId), AlertKind.EnterpriseFlagged, request.Uscc, request.CaseId,
                $"{request.EnterpriseName} ({request.Uscc}) is at grade {request.Grade}; joint review {request.CaseId} opened under {request.MemorandumId} with {string.Join(", ", request.Departments.Select(d => d.Department))}.",
                request.OpenedAt, SupervisionTelemetry.CurrentTraceParent),
            CancellationToken.None);
        return true;
    }
}

/// <summary>
/// Tells a department's reviewers that a decision is due, unless the department has decided
/// already: a decision may be recorded over HTTP before the department's review instance exists
/// to receive it, and is returned here so that the review takes it instead of waiting.
/// </summary>
public sealed class NotifyDepartmentActivity(CaseStore cases, AlertOutbox alerts, TimeProvider time) : TaskActivity<DepartmentReviewInput, DepartmentDecision?>
{
    public override async Task<DepartmentDecision?> RunAsync(TaskActivityContext context, DepartmentReviewInput input)
    {
        using var span = SupervisionTelemetry.StartContinuing(nameof(NotifyDepartmentActivity), input.TraceParent, ActivityKind.Internal);
        if (await cases.FindDecisionAsync(input.CaseId, input.Department, input.Round, CancellationToken.None) is { } recorded)
        {
            return new DepartmentDecision(recorded.Verdict, recorded.DecidedBy, recorded.Comment, recorded.DecidedAt);
        }

        await alerts.EnqueueAsync(
            new Alert(Alert.IdFor(AlertKind.DecisionDue, input.CaseId, input.Department) + input.RoundSuffix, AlertKind.DecisionDue, input.Uscc, input.CaseId,
                input.Round > 1
                    ? $"The enterprise objected: {input.Department} reviews its measures on case {input.CaseId} again within {input.DecisionWindow} (approve upholds them, reject withdraws them): POST /api/reviews/{input.CaseId}/departments/{input.Department}/decision"
                    : $"Decision due from {input.Department} on case {input.CaseId} within {input.DecisionWindow}: POST /api/reviews/{input.CaseId}/departments/{input.Department}/decision",
                time.GetUtcNow(), SupervisionTelemetry.CurrentTraceParent),
            CancellationToken.None);
        return null;
    }
}

/// <summary>Records that a department let its deadline pass and escalates to the case owner.</summary>
public sealed class EscalateOverdueActivity(AuditLog audit, AlertOutbox alerts, TimeProvider time) : TaskActivity<DepartmentReviewInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, DepartmentReviewInput input)
    {
        using var span = SupervisionTelemetry.StartContinuing(nameof(EscalateOverdueActivity), input.TraceParent, ActivityKind.Internal);
        SupervisionTelemetry.DepartmentsOverdue.Add(1, new KeyValuePair<string, object?>("department", input.Department));
        var now = time.GetUtcNow();
        await audit.AppendAsync(
            new AuditEntry(input.CaseId, "department-overdue", "system", now,
                input.Round > 1
                    ? $"{input.Department} did not decide on the objection within {input.DecisionWindow}; its measures stand as decided"
                    : $"{input.Department} did not decide within {input.DecisionWindow}; no measure by default",
                ContentHash.Sha256Hex(input.ToString())),
            ReviewNames.OverdueKeyFor(input.Department, input.Round), CancellationToken.None);
        await alerts.EnqueueAsync(
            new Alert(Alert.IdFor(AlertKind.Escalated, input.CaseId, input.Department) + input.RoundSuffix, AlertKind.Escalated, input.Uscc, input.CaseId,
                input.Round > 1
                    ? $"{input.Department} did not decide on the enterprise's objection on case {input.CaseId} before its deadline; escalated to the case owner."
                    : $"{input.Department} did not decide on case {input.CaseId} before its deadline; escalated to the case owner. No measure is imposed without a decision.",
                now, SupervisionTelemetry.CurrentTraceParent),
            CancellationToken.None);
        return true;
    }
}

/// <summary>Writes the approved measures (keyed by case, department and measure) and announces them.</summary>
public sealed class ApplyMeasuresActivity(SupervisionStorage storage, CaseStore cases, AuditLog audit, AlertOutbox alerts) : TaskActivity<ApplyMeasuresInput, IReadOnlyList<AppliedMeasure>>
{
    public override async Task<IReadOnlyList<AppliedMeasure>> RunAsync(TaskActivityContext context, ApplyMeasuresInput input)
    {
        using var span = SupervisionTelemetry.StartContinuing(nameof(ApplyMeasuresActivity), input.Request.TraceParent, ActivityKind.Internal);
        var decidedAt = new DateTimeOffset(input.DecidedAtUtc, TimeSpan.Zero);
        var measures = MeasurePlanner.Plan(input.Request, input.Outcomes, decidedAt);
        var table = storage.Table(StorageNames.Tables.Measures);
        foreach (var measure in measures)
        {
            var entity = new TableEntity(measure.Uscc, TableExtensions.SafeKey($"{measure.CaseId}|{measure.Department}|{measure.Code}"))
            {
                [nameof(JsonEntity.Json)] = JsonSerializer.Serialize(measure, MessageJson.Options),
                ["Status"] = "Applied",
                ["EndsAt"] = measure.EndsAt,
            };
            await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, CancellationToken.None);
        }

        var request = input.Request;
        await audit.AppendAsync(
            new AuditEntry(request.CaseId, "measures-applied", "system", decidedAt,
                measures.Count == 0 ? "no department approved; no measure applied" : string.Join("; ", measures.Select(m => $"{m.Department}: {m.Code} until {m.EndsAt:yyyy-MM-dd}")),
                ContentHash.Sha256Hex(JsonSerializer.Serialize(input.Outcomes, MessageJson.Options))),
            "measures-applied", CancellationToken.None);

        if (measures.Count > 0)
        {
            await cases.SaveAsync(CaseRecord.Of(request, CaseStatus.MeasuresInForce, new ReviewOutcome(request.CaseId, input.Outcomes, measures)), CancellationToken.None);
            await alerts.EnqueueAsync(
                new Alert(Alert.IdFor(AlertKind.MeasuresApplied, request.CaseId), AlertKind.MeasuresApplied, request.Uscc, request.CaseId,
                    $"Measures applied to {request.EnterpriseName} ({request.Uscc}) under case {request.CaseId}: {string.Join("; ", measures.Select(m => $"{m.Department} {m.Code} until {m.EndsAt:yyyy-MM-dd}"))}.",
                    decidedAt, SupervisionTelemetry.CurrentTraceParent),
                CancellationToken.None);
        }

        return measures;
    }
}

/// <summary>Marks the case closed (and when) with its outcome, and tells the evidence's sources how their signals fared.</summary>
public sealed class CloseCaseActivity(CaseStore cases, SignalStore signals, StageMessages messages, TimeProvider time)
    : TaskActivity<CloseCaseInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, CloseCaseInput input)
    {
        var (request, outcome) = (input.Request, input.Outcome);
        var closedAt = (await cases.GetAsync(request.CaseId, CancellationToken.None))?.ClosedAt ?? time.GetUtcNow();
        await cases.SaveAsync(CaseRecord.Of(request, CaseStatus.Closed, outcome) with { ClosedAt = closedAt }, CancellationToken.None);
        var rejected = outcome.Departments.Any(d => d.Status == DepartmentOutcomeStatus.Rejected)
            && outcome.Departments.All(d => d.Status != DepartmentOutcomeStatus.Approved);
        bool? confirmed = outcome.Measures.Count > 0 ? true : rejected ? false : null;
        if (confirmed is { } verdict)
        {
            var evidence = request.EvidenceItemIds.ToHashSet(StringComparer.Ordinal);
            var refs = (await signals.OfEnterpriseAsync(request.Uscc, CancellationToken.None))
                .Where(s => evidence.Contains(s.ItemId)).Select(s => new SignalRef(s.SourceId, s.ItemId)).ToList();
            await messages.SendAsync(new SignalFeedback(request.CaseId, verdict, refs), CancellationToken.None);
        }

        return true;
    }
}

/// <summary>The orchestrators and activities of joint reviews: what every host must register.</summary>
public static class ReviewWorkflow
{
    public static readonly Type[] Orchestrators = [typeof(JointReviewOrchestrator), typeof(DepartmentReviewOrchestrator)];

    public static readonly Type[] Activities =
    [
        typeof(OpenCaseActivity), typeof(NotifyDepartmentActivity), typeof(RemindDepartmentActivity), typeof(EscalateToSupervisorActivity),
        typeof(EscalateOverdueActivity), typeof(RecordInformationRequestActivity), typeof(ApplyMeasuresActivity), typeof(RecordImplementationActivity),
        typeof(NotifyEnterpriseActivity), typeof(LiftMeasuresActivity), typeof(RecordRepairRequestActivity), typeof(RecordRepairDecisionActivity),
        typeof(ReopenOnObjectionActivity), typeof(ConcludeObjectionActivity), typeof(CloseCaseActivity),
    ];
}
