using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Supervision.Domain.Audit;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// Append-only, hash-chained record of decisions and state changes, one chain per subject.
/// An append writes the entry, its idempotency key and the chain's new head in one table
/// transaction (one partition per subject), conditional on the head not having moved: two
/// writers can never fork a chain, and an activity that runs twice appends once. Verification
/// (AuditLog.Verification.cs) continues from checkpoints of verified entries.
/// </summary>
public sealed partial class AuditLog(SupervisionStorage storage)
{
    private const string HeadRow = "head";
    private const string EntryPrefix = "e-";
    private const string KeyPrefix = "k-";

    private TableClient Table => storage.Table(StorageNames.Tables.Audit);

    public async Task<bool> AppendAsync(AuditEntry entry, string key, CancellationToken cancellationToken)
    {
        var partition = TableExtensions.SafeKey(entry.Subject);
        var keyRow = KeyPrefix + TableExtensions.SafeKey(key);
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (await Table.FindAsync<TableEntity>(partition, keyRow, cancellationToken) is not null)
            {
                return false;
            }

            var head = await Table.FindAsync<TableEntity>(partition, HeadRow, cancellationToken);
            var sequence = (head?.GetInt64("Sequence") ?? -1) + 1;
            var previous = head?.GetString("Hash") ?? AuditChain.Genesis;
            var hash = AuditChain.Hash(previous, sequence, entry);
            var newHead = new TableEntity(partition, HeadRow) { ["Sequence"] = sequence, ["Hash"] = hash };
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.Add, new TableEntity(partition, EntryRow(sequence))
                {
                    ["Json"] = JsonSerializer.Serialize(entry, MessageJson.Options),
                    ["Sequence"] = sequence,
                    ["PreviousHash"] = previous,
                    ["Hash"] = hash,
                }),
                new(TableTransactionActionType.Add, new TableEntity(partition, keyRow) { ["Sequence"] = sequence }),
                head is null
                    ? new(TableTransactionActionType.Add, newHead)
                    : new(TableTransactionActionType.UpdateReplace, newHead, head.ETag),
            };

            try
            {
                await Table.SubmitTransactionAsync(actions, cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // Another append won the head (or this key) first: read again.
            }
        }

        throw new InvalidOperationException($"the audit chain of {entry.Subject} kept moving under 50 attempts to append");
    }

    public async Task<bool> ExistsAsync(string subject, string key, CancellationToken cancellationToken) =>
        await Table.FindAsync<TableEntity>(
            TableExtensions.SafeKey(subject), KeyPrefix + TableExtensions.SafeKey(key), cancellationToken) is not null;

    public async Task<IReadOnlyList<AuditEntry>> ForSubjectAsync(string subject, CancellationToken cancellationToken) =>
        (await ChainAsync(TableExtensions.SafeKey(subject), cancellationToken)).Entries.Select(e => e.Entry).ToList();

    private async Task<(IReadOnlyList<ChainedAuditEntry> Entries, string? Head)> ChainAsync(
        string partition, CancellationToken cancellationToken)
    {
        var entries = new List<ChainedAuditEntry>();
        string? head = null;
        await foreach (var row in Table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            if (row.RowKey == HeadRow)
            {
                head = row.GetString("Hash");
            }
            else if (row.RowKey.StartsWith(EntryPrefix, StringComparison.Ordinal))
            {
                entries.Add(Chained(partition, row));
            }
        }

        // Row keys are zero-padded sequence numbers, so storage order is chain order.
        return (entries, head);
    }

    private static string EntryRow(long sequence) => EntryPrefix + sequence.ToString("D10", CultureInfo.InvariantCulture);
}

/// <summary>
/// The verdict on the audit log: chains seen, entries checked by this call, and where any chain
/// breaks. Not <see cref="Complete"/> when the call stopped at its bound with entries left to
/// check: the next call continues from the checkpoints this one recorded.
/// </summary>
public sealed record AuditVerification(int Chains, long Entries, IReadOnlyList<ChainBreak> Breaks)
{
    public bool Intact => Breaks.Count == 0;

    public bool Complete { get; init; } = true;
}
