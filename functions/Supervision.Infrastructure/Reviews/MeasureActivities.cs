using System.Diagnostics;
using System.Text.Json;
using Microsoft.DurableTask;
using Supervision.Domain.Alerts;
using Supervision.Domain.Audit;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Reviews;

// A measure's life: applied on the departments' approval, reported implemented (or chased), and
// lifted at its end, on withdrawal or on credit repair. The rows are written through MeasureTable.

/// <summary>Writes the approved measures (keyed by case, department and measure) and announces them.</summary>
public sealed class ApplyMeasuresActivity(SupervisionStorage storage, CaseStore cases, AuditLog audit, StageMessages messages)
    : TaskActivity<ApplyMeasuresInput, IReadOnlyList<AppliedMeasure>>
{
    private readonly MeasureTable table = new(storage);

    public override async Task<IReadOnlyList<AppliedMeasure>> RunAsync(TaskActivityContext context, ApplyMeasuresInput input)
    {
        using var span = SupervisionTelemetry.StartContinuing(
            nameof(ApplyMeasuresActivity), input.Request.TraceParent, ActivityKind.Internal);
        var decidedAt = new DateTimeOffset(input.DecidedAtUtc, TimeSpan.Zero);
        var measures = MeasurePlanner.Plan(input.Request, input.Outcomes, decidedAt);
        foreach (var measure in measures)
        {
            await table.RecordAppliedAsync(measure, CancellationToken.None);
        }

        var request = input.Request;
        var detail = measures.Count == 0
            ? "no department approved; no measure applied"
            : string.Join("; ", measures.Select(m => $"{m.Department}: {m.Code} until {m.EndsAt:yyyy-MM-dd}"));
        await audit.AppendAsync(
            new AuditEntry(request.CaseId, "measures-applied", "system", decidedAt, detail,
                ContentHash.Sha256Hex(JsonSerializer.Serialize(input.Outcomes, MessageJson.Options))),
            "measures-applied", CancellationToken.None);

        if (measures.Count > 0)
        {
            var outcome = new ReviewOutcome(request.CaseId, input.Outcomes, measures);
            await cases.SaveAsync(CaseRecord.Of(request, CaseStatus.MeasuresInForce, outcome), CancellationToken.None);
            var list = string.Join("; ", measures.Select(m => $"{m.Department} {m.Code} until {m.EndsAt:yyyy-MM-dd}"));
            var text = $"Measures applied to {request.EnterpriseName} ({request.Uscc}) under case {request.CaseId}: {list}.";
            var alertId = Alert.IdFor(AlertKind.MeasuresApplied, request.CaseId);
            await messages.AlertAsync(alertId, AlertKind.MeasuresApplied, request.Uscc, request.CaseId, text, decidedAt);
        }

        return measures;
    }
}

/// <summary>The departments' outcomes to apply, and when they were decided (orchestration time, UTC).</summary>
public sealed record ApplyMeasuresInput(ReviewRequest Request, IReadOnlyList<DepartmentOutcome> Outcomes, DateTime DecidedAtUtc);

/// <summary>Records that a department implemented its measures, or chases it when it did not report in time.</summary>
public sealed class RecordImplementationActivity(SupervisionStorage storage, AuditLog audit, StageMessages messages, TimeProvider time)
    : TaskActivity<ImplementationInput, bool>
{
    private readonly MeasureTable table = new(storage);

    public override async Task<bool> RunAsync(TaskActivityContext context, ImplementationInput input)
    {
        var request = input.Request;
        var now = time.GetUtcNow();
        var codes = request.Departments.Where(d => d.Department == input.Department).SelectMany(d => d.Measures).Select(m => m.Code);
        await table.RecordImplementationAsync(request.Uscc, request.CaseId, input.Department, codes, input.Report, CancellationToken.None);

        if (input.Report is { } report)
        {
            var comment = report.Comment is null ? string.Empty : $": {report.Comment}";
            await audit.AppendAsync(
                new AuditEntry(request.CaseId, "implementation-reported", report.ReportedBy, report.ReportedAt,
                    $"{input.Department} implemented its measures{comment}", InputHash.Of(report)),
                $"implemented-{input.Department}", CancellationToken.None);
            return true;
        }

        await audit.AppendAsync(
            new AuditEntry(request.CaseId, "implementation-overdue", "system", now,
                $"{input.Department} has not reported implementing its measures", InputHash.Of(input)),
            $"implementation-overdue-{input.Department}", CancellationToken.None);
        var text = $"{input.Department} has not reported implementing its measures on case {request.CaseId}; escalated to the case owner.";
        var alertId = $"{request.CaseId}:ImplementationOverdue:{input.Department}";
        await messages.AlertAsync(alertId, AlertKind.Escalated, request.Uscc, request.CaseId, text, now);
        return false;
    }
}

/// <summary>A department's report that it implemented its measures, or none when its feedback window passed.</summary>
public sealed record ImplementationInput(ReviewRequest Request, string Department, ImplementationReport? Report);

/// <summary>Lifts measures (at their end, or on approved credit repair): rows marked lifted, audited, announced.</summary>
public sealed class LiftMeasuresActivity(SupervisionStorage storage, AuditLog audit, StageMessages messages)
    : TaskActivity<LiftMeasuresInput, bool>
{
    private readonly MeasureTable table = new(storage);

    public override async Task<bool> RunAsync(TaskActivityContext context, LiftMeasuresInput input)
    {
        var request = input.Request;
        var liftedAt = new DateTimeOffset(input.LiftedAtUtc, TimeSpan.Zero);
        foreach (var measure in input.Measures)
        {
            await table.RecordLiftedAsync(measure, liftedAt, input.Reason, CancellationToken.None);
        }

        // The same measures lifted twice share a key; another set lifted later (an objection's
        // withdrawals, then the rest at their end) gets its own.
        var codes = string.Join(", ", input.Measures.Select(m => m.Code).Order(StringComparer.Ordinal));
        var codesKey = ContentHash.Sha256Hex(codes)[..16];
        await audit.AppendAsync(
            new AuditEntry(
                request.CaseId, "measures-lifted", "system", liftedAt, $"{codes} lifted: {input.Reason}", InputHash.Of(input.Measures)),
            $"lifted-{codesKey}", CancellationToken.None);
        var text = $"Measures lifted for {request.EnterpriseName} ({request.Uscc}) on case {request.CaseId} ({input.Reason}): {codes}.";
        var alertId = $"{Alert.IdFor(AlertKind.MeasuresLifted, request.CaseId)}:{codesKey}";
        await messages.AlertAsync(alertId, AlertKind.MeasuresLifted, request.Uscc, request.CaseId, text, liftedAt);
        return true;
    }
}

/// <summary>The measures to lift, why (expired, withdrawn, credit repaired), and when (orchestration time, UTC).</summary>
public sealed record LiftMeasuresInput(ReviewRequest Request, IReadOnlyList<AppliedMeasure> Measures, string Reason, DateTime LiftedAtUtc);
