using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Supervision.Domain.Enterprises;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Enterprises;

/// <summary>One change-log line read back: its row key (its position in the log) and the enterprise it names.</summary>
public sealed record EnterpriseChange(string Key, string Uscc);

/// <summary>
/// The owner of the <c>enterprises</c> table: enterprise rows keyed by USCC, and the change log
/// beside them in the same partition, keyed <c>~{UTC ticks}|{USCC}</c> ('~' sorts after every
/// USCC character, so the log is one key range after the rows). Every write of an enterprise and
/// its log line go in one entity-group transaction: a reader that sees the line sees the write.
/// </summary>
public sealed class EnterpriseTable(SupervisionStorage storage)
{
    private const string LogPrefix = "~";

    // Each enterprise is two actions (its row and its log line); 100 is a transaction's limit.
    private const int EnterprisesPerTransaction = 50;

    // A transaction's body may not exceed 4 MB; a margin leaves room for the multipart framing and the log lines.
    private const long TransactionBodyBudget = 3L * 1024 * 1024;

    // Transactions in flight at once while writing many enterprises: enough to hide round trips, few enough for one partition.
    private const int WriteConcurrency = 6;

    private TableClient Table => storage.Table(StorageNames.Tables.Enterprises);

    /// <summary>The log position of time <paramref name="at"/>: every line written at or after it sorts above.</summary>
    public static string PositionAt(DateTimeOffset at) => LogPrefix + at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes enterprises (each replacing its row) with a log line each, in transactions of up to
    /// 50 enterprises, a few at once; returns the lines' keys. Each transaction holds whole pairs
    /// (row + line), so whichever of them a crash leaves unwritten, no row is written unlogged.
    /// </summary>
    public async Task<IReadOnlyList<string>> WriteAsync(
        IReadOnlyList<Enterprise> enterprises, TimeProvider time, CancellationToken cancellationToken)
    {
        // A transaction may touch a row once: of one code written twice, the last write stands, as it would one by one.
        var distinct = enterprises.GroupBy(e => e.Uscc, StringComparer.Ordinal).Select(g => g.Last());
        var chunks = Chunks(distinct).ToList();
        var keys = new string[chunks.Count][];
        await Parallel.ForAsync(
            0,
            chunks.Count,
            new ParallelOptions { MaxDegreeOfParallelism = WriteConcurrency, CancellationToken = cancellationToken },
            async (i, _) =>
            {
                var at = time.GetUtcNow();
                var actions = new List<TableTransactionAction>(chunks[i].Count * 2);
                foreach (var enterprise in chunks[i])
                {
                    var line = Line(enterprise.Uscc, at, EnterpriseChangeEntity.Upserted);
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, line));
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, EnterpriseEntity.From(enterprise)));
                }

                // The caller's token, not the loop's: a failed transaction does not cancel the others
                // in flight, so a re-run finds them written and has less to do.
                await Table.SubmitTransactionAsync(actions, cancellationToken);
                keys[i] = actions.Select(a => a.Entity).OfType<EnterpriseChangeEntity>().Select(l => l.RowKey).ToArray();
            });
        return keys.SelectMany(k => k).ToList();
    }

    /// <summary>Deletes an enterprise's row with a log line; null, and no line, if there was no row.</summary>
    public async Task<string?> RemoveAsync(string uscc, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var line = Line(uscc, at, EnterpriseChangeEntity.Removed);
        var row = new TableEntity(EnterpriseEntity.Partition, uscc) { ETag = ETag.All };
        try
        {
            await Table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, line),
                    new TableTransactionAction(TableTransactionActionType.Delete, row),
                ],
                cancellationToken);
            return line.RowKey;
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>An enterprise with the ETag of its row, for a change conditional on nobody writing it meanwhile.</summary>
    public async Task<(Enterprise Enterprise, ETag ETag)?> FindForChangeAsync(string uscc, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<EnterpriseEntity>(
            EnterpriseEntity.Partition, uscc, cancellationToken: cancellationToken);
        return row.HasValue ? (row.Value!.ToEnterprise(), row.Value.ETag) : null;
    }

    /// <summary>
    /// Replaces an enterprise's row, with its log line, if the row still has <paramref name="etag"/>;
    /// the line's key, or null when the row was written or removed since it was read.
    /// </summary>
    public async Task<string?> ReplaceIfUnchangedAsync(
        Enterprise enterprise, ETag etag, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var line = Line(enterprise.Uscc, at, EnterpriseChangeEntity.Upserted);
        var row = EnterpriseEntity.From(enterprise);
        row.ETag = etag;
        try
        {
            await Table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, line),
                    new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, etag),
                ],
                cancellationToken);
            return line.RowKey;
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 412)
        {
            return null;
        }
    }

    /// <summary>Every enterprise: the rows' key range only, never the log.</summary>
    public async Task<List<Enterprise>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {EnterpriseEntity.Partition} and RowKey lt {LogPrefix}");
        var enterprises = new List<Enterprise>();
        await foreach (var entity in Table.QueryAsync<EnterpriseEntity>(filter, cancellationToken: cancellationToken))
        {
            enterprises.Add(entity.ToEnterprise());
        }

        return enterprises;
    }

    public async Task<Enterprise?> FindAsync(string uscc, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<EnterpriseEntity>(
            EnterpriseEntity.Partition, uscc, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.ToEnterprise() : null;
    }

    /// <summary>The log lines above a position, in key order.</summary>
    public async Task<List<EnterpriseChange>> ChangesAfterAsync(string position, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {EnterpriseEntity.Partition} and RowKey gt {position}");
        var changes = new List<EnterpriseChange>();
        var columns = new[] { "RowKey", nameof(EnterpriseChangeEntity.Uscc) };
        await foreach (var line in Table.QueryAsync<EnterpriseChangeEntity>(filter, select: columns, cancellationToken: cancellationToken))
        {
            changes.Add(new EnterpriseChange(line.RowKey, line.Uscc));
        }

        return changes;
    }

    /// <summary>Deletes the log lines below a position; returns how many. Safe to run on several instances at once.</summary>
    public async Task<int> PruneChangesAsync(string position, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {EnterpriseEntity.Partition} and RowKey gt {LogPrefix} and RowKey lt {position}");
        var keys = new List<string>();
        await foreach (var line in Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(line.RowKey);
        }

        foreach (var chunk in keys.Chunk(100))
        {
            var deletes = chunk.Select(k => new TableTransactionAction(
                TableTransactionActionType.Delete, new TableEntity(EnterpriseEntity.Partition, k) { ETag = ETag.All }));
            try
            {
                await Table.SubmitTransactionAsync(deletes, cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // Another instance pruned some of them first: delete the rest one by one.
                foreach (var key in chunk)
                {
                    await Table.DeleteEntityAsync(EnterpriseEntity.Partition, key, ETag.All, cancellationToken);
                }
            }
        }

        return keys.Count;
    }

    /// <summary>Groups of at most 50 enterprises whose rows stay well inside a transaction's 4 MB body.</summary>
    private static IEnumerable<List<Enterprise>> Chunks(IEnumerable<Enterprise> enterprises)
    {
        var chunk = new List<Enterprise>(EnterprisesPerTransaction);
        var bytes = 0L;
        foreach (var enterprise in enterprises)
        {
            var size = EnterpriseEntity.EstimatedBytes(enterprise);
            if (chunk.Count == EnterprisesPerTransaction || (chunk.Count > 0 && bytes + size > TransactionBodyBudget))
            {
                yield return chunk;
                chunk = new List<Enterprise>(EnterprisesPerTransaction);
                bytes = 0;
            }

            chunk.Add(enterprise);
            bytes += size;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    private static EnterpriseChangeEntity Line(string uscc, DateTimeOffset at, string change) =>
        new() { RowKey = $"{PositionAt(at)}|{uscc}", Uscc = uscc, Change = change };
}
