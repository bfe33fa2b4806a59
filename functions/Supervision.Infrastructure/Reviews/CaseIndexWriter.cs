using Azure;
using Azure.Data.Tables;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// Puts one index row in place, or takes it away, keeping its partition's counter exactly right:
/// the row and the counter change together in one entity-group transaction, guarded by the ETags
/// just read, so a repeated delivery (the row is already there, or already gone) changes nothing,
/// a crash leaves either both written or neither, and two writers racing on a counter make one of
/// them read again (412) rather than both adding to the same old value.
/// </summary>
public static class CaseIndexWriter
{
    // Hot counters (every case, every pending case) see many writers when cases open in bursts;
    // each loser re-reads and tries again, so allow many short attempts rather than a few long ones.
    private const int MaxAttempts = 100;

    /// <summary>Makes the row <paramref name="wanted"/> present (null: absent) at these keys.</summary>
    public static async Task EnsureAsync(
        TableClient table, string partition, string row, TableEntity? wanted, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (stored, counter) = await ReadAsync(table, partition, row, cancellationToken);
            try
            {
                await ApplyAsync(table, partition, stored, counter, wanted, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 or 404 && attempt < MaxAttempts)
            {
                // Another writer changed the row or the counter since they were read: read again.
                await Task.Delay(Random.Shared.Next(1, Math.Min(10 * attempt, 250)), cancellationToken);
            }
        }
    }

    private static async Task ApplyAsync(
        TableClient table,
        string partition,
        TableEntity? stored,
        TableEntity? counter,
        TableEntity? wanted,
        CancellationToken cancellationToken)
    {
        switch (stored, wanted)
        {
            case (null, null):
                return;
            case ({ } present, { } update):
                if (!CaseIndex.SameContent(present, update) && !CaseIndex.IsNewer(present, update))
                {
                    // The count does not change; the ETag keeps a concurrent removal from being undone.
                    await table.UpdateEntityAsync(update, present.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return;
        }

        var delta = wanted is null ? -1 : 1;
        var count = new TableEntity(partition, CaseIndex.CounterRow)
        {
            [CaseIndex.CountColumn] = (counter?.GetInt64(CaseIndex.CountColumn) ?? 0) + delta,
        };
        TableTransactionAction[] actions =
        [
            wanted is null
                ? new(TableTransactionActionType.Delete, stored!, stored!.ETag)
                : new(TableTransactionActionType.Add, wanted),
            counter is null
                ? new(TableTransactionActionType.Add, count)
                : new(TableTransactionActionType.UpdateReplace, count, counter.ETag),
        ];
        await table.SubmitTransactionAsync(actions, cancellationToken);
    }

    /// <summary>The row and its partition's counter, in one request.</summary>
    private static async Task<(TableEntity? Row, TableEntity? Counter)> ReadAsync(
        TableClient table, string partition, string row, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and (RowKey eq {row} or RowKey eq {CaseIndex.CounterRow})");
        TableEntity? found = null, counter = null;
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (entity.RowKey == CaseIndex.CounterRow)
            {
                counter = entity;
            }
            else
            {
                found = entity;
            }
        }

        return (found, counter);
    }
}
