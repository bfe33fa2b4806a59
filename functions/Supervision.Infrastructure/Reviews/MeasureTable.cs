using System.Text.Json;
using Azure.Data.Tables;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// The owner of the measures table: one row per measure imposed on an enterprise, in the
/// enterprise's partition, keyed by case, department and measure code. Only the reviews stage
/// writes it, and its keys are built here only. Writes are upserts on that key, so an activity
/// that runs twice rewrites the same row.
/// </summary>
public sealed class MeasureTable(SupervisionStorage storage)
{
    private TableClient Table => storage.Table(StorageNames.Tables.Measures);

    /// <summary>
    /// A measure's row key, <c>{caseId}|{department}|{code}</c>, with the characters a table key
    /// refuses replaced (case ids carry the enterprise's id, which comes from third parties).
    /// </summary>
    public static string RowKeyFor(string caseId, string department, string code) =>
        TableExtensions.SafeKey($"{caseId}|{department}|{code}");

    /// <summary>Writes a measure as applied, replacing the row.</summary>
    public async Task RecordAppliedAsync(AppliedMeasure measure, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(measure.Uscc, RowKeyFor(measure.CaseId, measure.Department, measure.Code))
        {
            [nameof(JsonEntity.Json)] = JsonSerializer.Serialize(measure, MessageJson.Options),
            ["Status"] = "Applied",
            ["EndsAt"] = measure.EndsAt,
        };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Records on a department's measures whether it reported implementing them (no report: not implemented).</summary>
    public async Task RecordImplementationAsync(
        string uscc, string caseId, string department, IEnumerable<string> codes, ImplementationReport? report,
        CancellationToken cancellationToken)
    {
        foreach (var code in codes)
        {
            var entity = new TableEntity(uscc, RowKeyFor(caseId, department, code))
            {
                ["Implemented"] = report is not null,
                ["ImplementedAt"] = report?.ReportedAt,
                ["ImplementedBy"] = report?.ReportedBy,
            };
            await Table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
        }
    }

    /// <summary>Marks a measure lifted, when and why (it ended, was withdrawn, or the credit was repaired).</summary>
    public async Task RecordLiftedAsync(AppliedMeasure measure, DateTimeOffset liftedAt, string reason, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(measure.Uscc, RowKeyFor(measure.CaseId, measure.Department, measure.Code))
        {
            ["Status"] = "Lifted",
            ["LiftedAt"] = liftedAt,
            ["LiftReason"] = reason,
        };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }
}
