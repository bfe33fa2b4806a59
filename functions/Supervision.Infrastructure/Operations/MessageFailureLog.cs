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
    /// <summary>The column keeping the message's text, so that an operator can replay it (the operators' PoisonReplay).</summary>
    public const string Body = "Body";

    // A table property holds 64 KiB, 32 K characters of UTF-16; a longer message is replayed from its poison queue by hand.
    private const int MaxBodyCharacters = 30_000;

    /// <summary>
    /// Records why a message failed. <paramref name="body"/>, the message's text, is kept beside the
    /// reason when the host handing the failure over knows it; a merge, so an earlier copy or a
    /// replay marker stays.
    /// </summary>
    public Task RecordAsync(
        string queue,
        string messageId,
        long dequeueCount,
        Exception error,
        bool poisoned,
        CancellationToken cancellationToken,
        string? body = null)
    {
        var row = new TableEntity(queue, TableExtensions.SafeKey(messageId))
        {
            ["DequeueCount"] = dequeueCount,
            ["Error"] = error.GetType().FullName,
            ["Reason"] = error.Message.Length <= 4000 ? error.Message : error.Message[..4000],
            ["Poisoned"] = poisoned,
            ["FailedAt"] = time.GetUtcNow(),
        };
        if (body is { Length: <= MaxBodyCharacters })
        {
            row[Body] = body;
        }

        return storage.Table(StorageNames.Tables.MessageFailures).UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
    }

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
