using Azure;
using Azure.Data.Tables;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// Source cursors (table <c>sourcecursors</c>), one row per pulled source: what its last pull saw
/// (the publisher's ETag, the next page) and when it last succeeded or failed. The pull handler
/// reads and writes them; the health route lists them. Two more rows per source live here, in their
/// own partitions: how far the timer has enqueued the source's schedule and whether that pull is
/// still outstanding (SourceCursorStore.Markers.cs), and the lease of the pull running now.
/// </summary>
public sealed partial class SourceCursorStore(SupervisionStorage storage)
{
    private TableClient Table => storage.Table(StorageNames.Tables.SourceCursors);

    /// <summary>The source's cursor, or a fresh one if it was never pulled.</summary>
    public async Task<SourceCursorEntity> LoadAsync(string sourceId, CancellationToken cancellationToken) =>
        await Table.FindAsync<SourceCursorEntity>(SourceCursorEntity.Partition, TableExtensions.SafeKey(sourceId), cancellationToken)
        ?? new SourceCursorEntity { RowKey = TableExtensions.SafeKey(sourceId) };

    public Task SaveAsync(SourceCursorEntity cursor, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(cursor, TableUpdateMode.Replace, cancellationToken);

    /// <summary>
    /// Takes the source's pull lease until <paramref name="now"/> + <paramref name="duration"/>, or
    /// returns null while another holder's lease has not expired. Insert-once for a new row, ETag-guarded
    /// over an expired one, so two callers never both get it; a holder that dies simply lets it expire.
    /// </summary>
    public async Task<SourceLeaseEntity?> TryAcquireLeaseAsync(
        string sourceId, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = TableExtensions.SafeKey(sourceId);
        var held = await Table.FindAsync<SourceLeaseEntity>(SourceLeaseEntity.Partition, key, cancellationToken);
        if (held is not null && held.ExpiresAt > now)
        {
            return null;
        }

        var lease = new SourceLeaseEntity { RowKey = key, ExpiresAt = now + duration, Holder = Guid.NewGuid().ToString("N") };
        try
        {
            var response = held is null
                ? await Table.AddEntityAsync(lease, cancellationToken)
                : await Table.UpdateEntityAsync(lease, held.ETag, TableUpdateMode.Replace, cancellationToken);
            lease.ETag = response.Headers.ETag ?? default;
            return lease;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }
    }

    /// <summary>Gives the lease back; if it expired and someone else took it meanwhile, theirs stays.</summary>
    public async Task ReleaseLeaseAsync(SourceLeaseEntity lease, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(lease.PartitionKey, lease.RowKey, lease.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Already gone or taken over: nothing of ours left to release.
        }
    }

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

/// <summary>Per source: who is pulling it now, and until when that claim holds if the holder dies.</summary>
public sealed class SourceLeaseEntity : ITableEntity
{
    public const string Partition = "lease";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public string Holder { get; set; } = string.Empty;
}
