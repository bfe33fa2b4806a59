using Azure.Data.Tables;
using Supervision.Domain.Paging;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Operations;

/// <summary>
/// Why a queue message failed, keyed by queue and message id. Queue messages cannot carry the
/// reason themselves, so the poison queue keeps the message intact and this table keeps why.
/// </summary>
public sealed class MessageFailureLog(SupervisionStorage storage, TimeProvider time)
{
    public Task RecordAsync(
        string queue, string messageId, long dequeueCount, Exception error, bool poisoned, CancellationToken cancellationToken) =>
        storage.Table(StorageNames.Tables.MessageFailures).UpsertEntityAsync(
            new TableEntity(queue, TableExtensions.SafeKey(messageId))
            {
                ["DequeueCount"] = dequeueCount,
                ["Error"] = error.GetType().FullName,
                ["Reason"] = error.Message.Length <= 4000 ? error.Message : error.Message[..4000],
                ["Poisoned"] = poisoned,
                ["FailedAt"] = time.GetUtcNow(),
            },
            TableUpdateMode.Merge, cancellationToken);

    /// <summary>The column saying the message's copy is in the poison queue (a redelivery of it is then only deleted).</summary>
    public const string CopiedToPoison = "CopiedToPoison";

    public Task MarkCopiedToPoisonAsync(string queue, string messageId, CancellationToken cancellationToken) =>
        storage.Table(StorageNames.Tables.MessageFailures).UpsertEntityAsync(
            new TableEntity(queue, TableExtensions.SafeKey(messageId)) { [CopiedToPoison] = true },
            TableUpdateMode.Merge,
            cancellationToken);

    public async Task<TableEntity?> FindAsync(string queue, string messageId, CancellationToken cancellationToken) =>
        await storage.Table(StorageNames.Tables.MessageFailures)
            .FindAsync<TableEntity>(queue, TableExtensions.SafeKey(messageId), cancellationToken);

    /// <summary>One page of failures, by queue and message id.</summary>
    public Task<ListPage<TableEntity>> PageAsync(PageRequest page, CancellationToken cancellationToken) =>
        storage.Table(StorageNames.Tables.MessageFailures).ReadPageAsync<TableEntity>(null, page, cancellationToken);

    public async Task<IReadOnlyList<TableEntity>> ListAsync(int max, CancellationToken cancellationToken)
    {
        var rows = new List<TableEntity>();
        var table = storage.Table(StorageNames.Tables.MessageFailures);
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            rows.Add(row);
            if (rows.Count >= max)
            {
                break;
            }
        }

        return rows;
    }
}
