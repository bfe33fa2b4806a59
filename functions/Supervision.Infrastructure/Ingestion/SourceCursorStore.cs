using Azure;
using Azure.Data.Tables;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// Source cursors (table <c>sourcecursors</c>), one row per pulled source: what its last pull saw
/// (the publisher's ETag, the next page) and when it last succeeded or failed. The pull handler
/// reads and writes them; the health route lists them.
/// </summary>
public sealed class SourceCursorStore(SupervisionStorage storage)
{
    private TableClient Table => storage.Table(StorageNames.Tables.SourceCursors);

    /// <summary>The source's cursor, or a fresh one if it was never pulled.</summary>
    public async Task<SourceCursorEntity> LoadAsync(string sourceId, CancellationToken cancellationToken) =>
        await Table.FindAsync<SourceCursorEntity>(SourceCursorEntity.Partition, TableExtensions.SafeKey(sourceId), cancellationToken)
        ?? new SourceCursorEntity { RowKey = TableExtensions.SafeKey(sourceId) };

    public Task SaveAsync(SourceCursorEntity cursor, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(cursor, TableUpdateMode.Replace, cancellationToken);

    /// <summary>Every source's cursor (one per pulled source, so a short list), for the health route.</summary>
    public async Task<IReadOnlyList<SourceCursorEntity>> ListAsync(CancellationToken cancellationToken)
    {
        var cursors = new List<SourceCursorEntity>();
        var query = Table.QueryAsync<SourceCursorEntity>(
            e => e.PartitionKey == SourceCursorEntity.Partition, cancellationToken: cancellationToken);
        await foreach (var cursor in query)
        {
            cursors.Add(cursor);
        }

        return cursors;
    }
}

/// <summary>Per source: what the last pull saw, so conditional GET skips unchanged documents and pages resume.</summary>
public sealed class SourceCursorEntity : ITableEntity
{
    public const string Partition = "feed";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>The source's own HTTP ETag (not the table row's).</summary>
    public string? FeedETag { get; set; }

    public DateTimeOffset? LastModified { get; set; }

    /// <summary>Paged JSON: the cursor of the page to read next.</summary>
    public string? PageCursor { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public DateTimeOffset? LastSuccessAt { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? LastErrorAt { get; set; }
}
