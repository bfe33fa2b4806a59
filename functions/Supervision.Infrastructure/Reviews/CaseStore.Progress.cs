using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Reviews;

public sealed partial class CaseStore
{
    /// <summary>
    /// Applies one step of a department's review (<see cref="ReviewProgress"/>) to the stored case and
    /// saves it with its index rows, so a department's list shows its deadline, status and alerts. A step
    /// that changes nothing (a rerun) writes nothing; a case not stored yet is left alone (its opening
    /// writes it, and the rerun of the step after it). Returns the case as it stands.
    /// </summary>
    public Task<CaseRecord?> RecordProgressAsync(string caseId, Func<CaseRecord, CaseRecord> step, CancellationToken cancellationToken) =>
        WriteAsync(
            caseId,
            stored => stored is null || step(stored) is not { } changed || SameProgress(stored, changed) ? null : changed,
            cancellationToken);

    private static bool SameProgress(CaseRecord stored, CaseRecord changed) =>
        JsonSerializer.Serialize(stored.DepartmentReviews, MessageJson.Options)
        == JsonSerializer.Serialize(changed.DepartmentReviews, MessageJson.Options);

    private static async Task WriteIndexAsync(
        TableClient table,
        string partition,
        IReadOnlyList<TableEntity> rows,
        IReadOnlyList<IndexKey> wanted,
        IReadOnlyList<IndexKey> remembered,
        Response written,
        CancellationToken cancellationToken)
    {
        var stale = remembered.Except(wanted).ToList();
        await Task.WhenAll(
            rows.Select(r => CaseIndexWriter.EnsureAsync(table, r.PartitionKey, r.RowKey, r, cancellationToken))
                .Concat(stale.Select(k => CaseIndexWriter.EnsureAsync(table, k.Partition, k.Row, null, cancellationToken))));

        if (stale.Count > 0)
        {
            try
            {
                var settled = new TableEntity(partition, RecordRow) { [IndexedColumn] = Serialize(wanted) };
                await table.UpdateEntityAsync(settled, written.Headers.ETag ?? ETag.All, TableUpdateMode.Merge, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // A later save wrote the record since; what it remembers includes these rows.
            }
        }
    }
}
