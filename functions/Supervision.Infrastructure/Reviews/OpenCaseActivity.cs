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

// Every activity of a review may run more than once for the same input (at-least-once delivery);
// each writes with keys derived from its input, so a second run rewrites what the first one wrote.

/// <summary>Records the case as pending, audits the opening, and tells regulators the enterprise is flagged.</summary>
public sealed class OpenCaseActivity(CaseStore cases, AuditLog audit, StageMessages messages) : TaskActivity<ReviewRequest, bool>
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
            new AuditEntry(request.CaseId, "case-opened", "system", request.OpenedAt, OpeningDetail(request), inputs),
            "case-opened", CancellationToken.None);
        var departments = string.Join(", ", request.Departments.Select(d => d.Department));
        var text = $"{request.EnterpriseName} ({request.Uscc}) is at grade {request.Grade}; joint review {request.CaseId} opened under "
            + $"{request.MemorandumId} with {departments}.";
        var alertId = Alert.IdFor(AlertKind.EnterpriseFlagged, request.CaseId);
        await messages.AlertAsync(alertId, AlertKind.EnterpriseFlagged, request.Uscc, request.CaseId, text, request.OpenedAt);
        return true;
    }

    /// <summary>What the case opened on: memorandum, grade and score, the basis, and the case file with its hash.</summary>
    private static string OpeningDetail(ReviewRequest request)
    {
        var detail = $"{request.MemorandumId} for {request.Uscc} at grade {request.Grade} (score {request.Score})";
        if (request.Basis is not null)
        {
            detail += $"; {request.Basis}";
        }

        if (request.CaseFile is not null)
        {
            detail += $"; case file {request.CaseFile} sha256 {request.CaseFileSha256}";
        }

        return detail;
    }
}
