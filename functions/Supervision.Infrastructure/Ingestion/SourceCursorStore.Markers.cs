using Azure;
using Azure.Data.Tables;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// The markers' partition: per source, how far the timer has enqueued its schedule, and the claim
/// of the pull it enqueued last until that pull settles it. All markers share one partition, so a
/// tick claims up to <see cref="ClaimsPerTransaction"/> sources in one entity-group transaction.
/// </summary>
public sealed partial class SourceCursorStore
{
    /// <summary>An entity-group transaction holds at most 100 entities, all of one partition.</summary>
    public const int ClaimsPerTransaction = 100;

    private const int SettleAttempts = 3;

    /// <summary>How far the timer has enqueued this source's schedule (a fresh marker if never).</summary>
    public async Task<PullMarkerEntity> LoadMarkerAsync(string sourceId, CancellationToken cancellationToken) =>
        await Table.FindAsync<PullMarkerEntity>(PullMarkerEntity.Partition, TableExtensions.SafeKey(sourceId), cancellationToken)
        ?? new PullMarkerEntity { RowKey = TableExtensions.SafeKey(sourceId) };

    /// <summary>
    /// Every source's marker, by source id, in one query of the markers' partition: what a tick
    /// reads instead of one lookup per source. A source without one was never enqueued.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, PullMarkerEntity>> LoadMarkersAsync(CancellationToken cancellationToken)
    {
        var markers = new Dictionary<string, PullMarkerEntity>(StringComparer.Ordinal);
        var query = Table.QueryAsync<PullMarkerEntity>(
            e => e.PartitionKey == PullMarkerEntity.Partition, cancellationToken: cancellationToken);
        await foreach (var marker in query)
        {
            markers[marker.RowKey] = marker;
        }

        return markers;
    }

    /// <summary>The source's marker from <paramref name="markers"/>, or a fresh one if it was never enqueued.</summary>
    public static PullMarkerEntity MarkerOf(IReadOnlyDictionary<string, PullMarkerEntity> markers, string sourceId)
    {
        var key = TableExtensions.SafeKey(sourceId);
        return markers.GetValueOrDefault(key) ?? new PullMarkerEntity { RowKey = key };
    }

    /// <summary>
    /// Writes up to <see cref="ClaimsPerTransaction"/> changed markers as one transaction: each new
    /// one inserted once, each read one replaced on the ETag it was read with. False when any of them
    /// lost a race to another tick (409, 412); then none was written, so the caller reads again.
    /// </summary>
    public async Task<bool> TryClaimAsync(IReadOnlyList<PullMarkerEntity> markers, CancellationToken cancellationToken)
    {
        if (markers.Count == 0)
        {
            return true;
        }

        var actions = markers.Select(m => m.ETag == default
            ? new TableTransactionAction(TableTransactionActionType.Add, m)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, m, m.ETag));
        try
        {
            await Table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>
    /// The pull that <paramref name="claim"/> enqueued has finished: clears the marker's claim, so the
    /// next tick may enqueue the source again. A marker that holds another claim (its claim expired
    /// and a later tick enqueued anew) keeps it: that later pull settles its own.
    /// </summary>
    public async Task<bool> SettleMarkerAsync(string sourceId, string claim, CancellationToken cancellationToken)
    {
        var key = TableExtensions.SafeKey(sourceId);
        for (var attempt = 1; attempt <= SettleAttempts; attempt++)
        {
            var marker = await Table.FindAsync<PullMarkerEntity>(PullMarkerEntity.Partition, key, cancellationToken);
            if (marker is null || marker.PendingClaim != claim)
            {
                return false;
            }

            marker.PendingClaim = null;
            marker.PendingSince = null;
            try
            {
                await Table.UpdateEntityAsync(marker, marker.ETag, TableUpdateMode.Replace, cancellationToken);
                return true;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Changed between read and write (a tick whose claim expiry passed): read again.
            }
        }

        return false;
    }
}

/// <summary>
/// Per source: every scheduled occurrence up to <see cref="EnqueuedThrough"/> has had its pull
/// enqueued, and <see cref="PendingClaim"/> names the last enqueued pull until it finishes.
/// </summary>
public sealed class PullMarkerEntity : ITableEntity
{
    public const string Partition = "enqueued";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public DateTimeOffset? EnqueuedThrough { get; set; }

    /// <summary>The enqueued pull that has not finished yet (its message carries the same claim); null once settled.</summary>
    public string? PendingClaim { get; set; }

    /// <summary>When <see cref="PendingClaim"/> was enqueued; presumed lost after <c>PendingPullExpiry</c>.</summary>
    public DateTimeOffset? PendingSince { get; set; }
}
