using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>How one pull of one source ended.</summary>
public enum PullOutcome
{
    NewItems,
    NotModified,
    Quarantined,
    Failed,
}

public sealed record SourcePullResult(string SourceId, PullOutcome Outcome, int ItemsRead, int ItemsQueued, string? Detail);

/// <summary>
/// The timer's work: pull every registered feed, keep its bytes, and queue each item not seen
/// before for scoring. One failing source never stops the others.
/// </summary>
public sealed class FeedPullHandler(
    SourceCatalog sources,
    IHttpClientFactory httpClients,
    RawArchive archive,
    Quarantine quarantine,
    SupervisionStorage storage,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    ILogger<FeedPullHandler> logger)
{
    public const string HttpClientName = "feeds";

    public async Task<IReadOnlyList<SourcePullResult>> PullAllAsync(CancellationToken cancellationToken)
    {
        var results = new List<SourcePullResult>();
        foreach (var source in sources.Load())
        {
            try
            {
                results.Add(await PullAsync(source, cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Pulling source {SourceId} failed; the next pull tries again", source.Id);
                await RecordFailureAsync(source.Id, e.Message, cancellationToken);
                results.Add(new SourcePullResult(source.Id, PullOutcome.Failed, 0, 0, e.Message));
            }
        }

        return results;
    }

    public async Task<SourcePullResult> PullAsync(FeedSource source, CancellationToken cancellationToken)
    {
        using var span = SupervisionTelemetry.Source.StartActivity("PullFeed");
        span?.SetTag("supervision.source", source.Id);
        var sourceTag = new KeyValuePair<string, object?>("source", source.Id);
        var cursors = storage.Table(StorageNames.Tables.SourceCursors);
        var cursor = await cursors.FindAsync<SourceCursorEntity>(SourceCursorEntity.Partition, TableExtensions.SafeKey(source.Id), cancellationToken)
            ?? new SourceCursorEntity { RowKey = TableExtensions.SafeKey(source.Id) };

        using var request = new HttpRequestMessage(HttpMethod.Get, source.Url);
        if (!string.IsNullOrEmpty(cursor.FeedETag))
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(cursor.FeedETag));
        }

        if (cursor.LastModified is { } lastModified)
        {
            request.Headers.IfModifiedSince = lastModified;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.FetchTimeout);
        using var response = await httpClients.CreateClient(HttpClientName)
            .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);

        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            // Unchanged is a successful pull: the source is alive and we are up to date.
            cursor.LastSuccessAt = time.GetUtcNow();
            await cursors.UpsertEntityAsync(cursor, TableUpdateMode.Replace, cancellationToken);
            return new SourcePullResult(source.Id, PullOutcome.NotModified, 0, 0, null);
        }

        response.EnsureSuccessStatusCode();
        var contentType = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
        var (bytes, truncated) = await ReadCappedAsync(response.Content, options.Value.MaxFeedBytes, timeout.Token);
        if (truncated)
        {
            var reason = $"oversized: more than {options.Value.MaxFeedBytes} bytes (first {bytes.Length} kept)";
            await quarantine.KeepAsync(source.Id, bytes, reason, cancellationToken);
            SupervisionTelemetry.FeedsQuarantined.Add(1, sourceTag);
            return new SourcePullResult(source.Id, PullOutcome.Quarantined, 0, 0, reason);
        }

        var rawHash = await archive.KeepAsync(bytes, contentType, source.Url.ToString(), cancellationToken);

        IReadOnlyList<ParsedFeedItem> parsed;
        try
        {
            parsed = FeedParser.Parse(bytes, options.Value.MaxFeedBytes);
        }
        catch (FeedRejectedException e)
        {
            await quarantine.KeepAsync(source.Id, bytes, e.Reason, cancellationToken);
            SupervisionTelemetry.FeedsQuarantined.Add(1, sourceTag);
            logger.LogWarning("Feed from {SourceId} quarantined: {Reason}", source.Id, e.Reason);
            return new SourcePullResult(source.Id, PullOutcome.Quarantined, 0, 0, e.Reason);
        }

        var queued = 0;
        var now = time.GetUtcNow();
        var seen = storage.Table(StorageNames.Tables.SeenItems);
        var queue = storage.Queue(StorageNames.Queues.ItemsToScore);
        foreach (var entry in parsed)
        {
            var item = new NormalisedItem(
                NormalisedItem.IdentityFor(source.Id, entry.PublisherId, entry.Link, entry.Title),
                source.Id, entry.Title, entry.Summary, entry.Link, entry.PublishedAt, rawHash, now);
            var partition = TableExtensions.SafeKey(source.Id);
            if (await seen.FindAsync<TableEntity>(partition, item.ItemId, cancellationToken) is not null)
            {
                continue;
            }

            // Queue first, then mark seen: a crash in between queues the item again, and
            // scoring is idempotent, whereas the other order could lose it.
            using (var itemSpan = SupervisionTelemetry.Source.StartActivity("IngestItem", ActivityKind.Producer))
            {
                itemSpan?.SetTag("supervision.item", item.ItemId);
                var message = new ScoreItemMessage(item, source.TrustWeight, SupervisionTelemetry.CurrentTraceParent);
                await queue.SendMessageAsync(JsonSerializer.Serialize(message, MessageJson.Options), cancellationToken);
            }

            await seen.TryAddAsync(new TableEntity(partition, item.ItemId) { ["QueuedAt"] = now, ["RawSha256"] = rawHash }, cancellationToken);
            queued++;
        }

        SupervisionTelemetry.ItemsIngested.Add(queued, sourceTag);

        cursor.FeedETag = response.Headers.ETag?.ToString();
        cursor.LastModified = response.Content.Headers.LastModified;
        cursor.LastSuccessAt = now;
        cursor.LastError = null;
        await cursors.UpsertEntityAsync(cursor, TableUpdateMode.Replace, cancellationToken);
        logger.LogInformation("Pulled {SourceId}: {Read} items, {Queued} new", source.Id, parsed.Count, queued);
        return new SourcePullResult(source.Id, PullOutcome.NewItems, parsed.Count, queued, null);
    }

    private async Task RecordFailureAsync(string sourceId, string error, CancellationToken cancellationToken)
    {
        var cursors = storage.Table(StorageNames.Tables.SourceCursors);
        var entity = new TableEntity(SourceCursorEntity.Partition, TableExtensions.SafeKey(sourceId))
        {
            [nameof(SourceCursorEntity.LastError)] = error,
            [nameof(SourceCursorEntity.LastErrorAt)] = time.GetUtcNow(),
        };
        await cursors.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    private static async Task<(byte[] Bytes, bool Truncated)> ReadCappedAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            var room = maxBytes - buffer.Length;
            if (read > room)
            {
                buffer.Write(chunk, 0, (int)room);
                return (buffer.ToArray(), true);
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), false);
    }
}

/// <summary>Per source: what the last pull saw, so conditional GET skips unchanged feeds.</summary>
public sealed class SourceCursorEntity : ITableEntity
{
    public const string Partition = "feed";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>The feed's own HTTP ETag (not the table row's).</summary>
    public string? FeedETag { get; set; }

    public DateTimeOffset? LastModified { get; set; }

    public DateTimeOffset? LastSuccessAt { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? LastErrorAt { get; set; }
}

/// <summary>The items-to-score queue message: the item and the trust its source carried when pulled.</summary>
public sealed record ScoreItemMessage(NormalisedItem Item, double TrustWeight, string? TraceParent = null);
