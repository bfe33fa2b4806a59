using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Supervision.Domain.Audit;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// Verification from checkpoints. After a run of a chain verifies, its last entry (sequence and
/// hash) is recorded in <c>auditcheckpoints</c>; the next verification checks that the first new
/// entry links to that hash and reads only the entries appended since. So a call costs one row
/// per chain (its head and checkpoint) plus the new entries, not the whole table.
/// </summary>
/// <remarks>
/// The trade-off: an entry before a checkpoint is not read again, so tampering with it after it
/// was verified goes unnoticed by an incremental call. A full verification (<c>full</c>) forgets
/// every checkpoint first and so re-reads each chain from its start. A checkpoint only ever names
/// an entry whose whole chain up to it was verified, and a chain with a break never moves its
/// checkpoint, so the break is reported again until it is dealt with. A call reads at most a
/// bounded number of entries; what is left is finished by the next calls, from the checkpoints.
/// </remarks>
public sealed partial class AuditLog
{
    /// <summary>Entries one call reads at most (a few seconds' work); a larger backlog takes several calls.</summary>
    public const int EntriesPerCall = 20_000;

    private const string CheckpointPartition = "chain";

    private TableClient Checkpoints => storage.Table(StorageNames.Tables.AuditCheckpoints);

    /// <summary>Checks what was appended since the last verification, within the bound of one call.</summary>
    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) =>
        VerifyAsync(full: false, EntriesPerCall, cancellationToken);

    /// <summary>
    /// Checks every chain from its checkpoint (or, with <paramref name="full"/>, from its start) and
    /// returns the first broken link of each broken chain; reads at most <paramref name="maxEntries"/> entries.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(bool full, int maxEntries, CancellationToken cancellationToken)
    {
        if (full)
        {
            await ForgetCheckpointsAsync(cancellationToken);
        }

        var checkpoints = await CheckpointsAsync(cancellationToken);
        var heads = new SortedDictionary<string, (long Sequence, string Hash)>(StringComparer.Ordinal);
        // One row per chain comes back (the service still filters across partitions to find them).
        var headFilter = TableClient.CreateQueryFilter($"RowKey eq {HeadRow}");
        await foreach (var row in Table.QueryAsync<TableEntity>(headFilter, cancellationToken: cancellationToken))
        {
            heads[row.PartitionKey] = (row.GetInt64("Sequence") ?? -1, row.GetString("Hash") ?? string.Empty);
        }

        var breaks = checkpoints.Where(c => !heads.ContainsKey(c.Key))
            .Select(c => new ChainBreak(
                c.Key, c.Value.Sequence, $"the chain's head is gone, though entries up to {c.Value.Sequence} were verified"))
            .ToList();
        var read = 0L;
        var complete = true;
        foreach (var (chain, head) in heads)
        {
            if (read >= maxEntries)
            {
                complete = false;
                break;
            }

            var checkpoint = checkpoints.GetValueOrDefault(chain);
            var (broken, verified, entries) = await VerifyChainAsync(chain, head, checkpoint, (int)(maxEntries - read), cancellationToken);
            read += entries;
            if (broken is not null)
            {
                breaks.Add(broken);
                continue;
            }

            if (verified is { } last && last.Sequence > (checkpoint?.Sequence ?? -1))
            {
                await SaveCheckpointAsync(chain, last, checkpoint, cancellationToken);
            }

            complete &= (verified?.Sequence ?? -1) >= head.Sequence;
        }

        return new AuditVerification(heads.Count, read, breaks) { Complete = complete };
    }

    /// <summary>Verifies a chain's entries after its checkpoint up to its head (or the budget), and the last entry that held.</summary>
    private async Task<(ChainBreak? Broken, Checkpoint? Verified, int Read)> VerifyChainAsync(
        string chain, (long Sequence, string Hash) head, Checkpoint? checkpoint, int budget, CancellationToken cancellationToken)
    {
        var first = (checkpoint?.Sequence ?? -1) + 1;
        var previous = checkpoint?.Hash ?? AuditChain.Genesis;
        if (head.Sequence < first - 1 || (head.Sequence == first - 1 && head.Hash != previous))
        {
            return (new ChainBreak(
                chain,
                head.Sequence + 1,
                $"the head is at entry {head.Sequence}, but entry {first - 1} was verified: entries were removed or rewritten"), null, 0);
        }

        var last = Math.Min(head.Sequence, first + budget - 1);
        if (last < first)
        {
            return (null, checkpoint, 0);
        }

        var entries = new List<ChainedAuditEntry>();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {chain} and RowKey ge {EntryRow(first)} and RowKey le {EntryRow(last)}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            entries.Add(Chained(chain, row));
        }

        var atHead = last == head.Sequence;
        var broken = AuditChain.VerifyFrom(chain, first, previous, entries, atHead ? head.Hash : null);
        if (broken is null && entries.Count < last - first + 1)
        {
            broken = new ChainBreak(chain, first + entries.Count, $"entry {first + entries.Count} is missing");
        }

        return broken is not null
            ? (broken, null, entries.Count)
            : (null, new Checkpoint(entries[^1].Sequence, entries[^1].Hash, default), entries.Count);
    }

    private static ChainedAuditEntry Chained(string chain, TableEntity row)
    {
        var entry = JsonSerializer.Deserialize<AuditEntry>(row.GetString("Json") ?? "null", MessageJson.Options)
            ?? throw new InvalidDataException($"audit row {chain}/{row.RowKey} holds no entry");
        return new ChainedAuditEntry(
            row.GetInt64("Sequence") ?? -1, row.GetString("PreviousHash") ?? string.Empty, row.GetString("Hash") ?? string.Empty, entry);
    }

    private async Task<Dictionary<string, Checkpoint>> CheckpointsAsync(CancellationToken cancellationToken)
    {
        var checkpoints = new Dictionary<string, Checkpoint>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CheckpointPartition}");
        await foreach (var row in Checkpoints.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            checkpoints[row.RowKey] = new Checkpoint(row.GetInt64("Sequence") ?? -1, row.GetString("Hash") ?? string.Empty, row.ETag);
        }

        return checkpoints;
    }

    /// <summary>
    /// Moves a chain's checkpoint forward, conditional on the one this call read: if another
    /// verification moved it meanwhile, its checkpoint (also of verified entries) stands.
    /// </summary>
    private async Task SaveCheckpointAsync(string chain, Checkpoint verified, Checkpoint? previous, CancellationToken cancellationToken)
    {
        var row = new TableEntity(CheckpointPartition, chain) { ["Sequence"] = verified.Sequence, ["Hash"] = verified.Hash };
        try
        {
            await (previous is null
                ? Checkpoints.AddEntityAsync(row, cancellationToken)
                : Checkpoints.UpdateEntityAsync(row, previous.ETag, TableUpdateMode.Replace, cancellationToken));
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another verification recorded its own verified entry first.
        }
    }

    private async Task ForgetCheckpointsAsync(CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {CheckpointPartition}");
        var rows = new List<TableTransactionAction>();
        await foreach (var row in Checkpoints.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            rows.Add(new TableTransactionAction(
                TableTransactionActionType.Delete, new TableEntity(CheckpointPartition, row.RowKey), ETag.All));
        }

        foreach (var batch in rows.Chunk(100))
        {
            await Checkpoints.SubmitTransactionAsync(batch, cancellationToken);
        }
    }

    private sealed record Checkpoint(long Sequence, string Hash, ETag ETag);
}
