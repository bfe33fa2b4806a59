using System.Collections.Concurrent;
using System.Text.Json;
using Cronos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>"Pull this source for this occurrence of its schedule": the PullFeeds timer → PullSource, inside ingestion.</summary>
public sealed record PullSourceMessage(string SourceId, DateTimeOffset Occurrence);

/// <summary>
/// The PullFeeds timer's work: decide which sources are due and enqueue one pull per due source on
/// <c>sources-to-pull</c>. It pulls nothing itself, so a slow publisher holds only its own message
/// and the queue's concurrency runs the pulls side by side.
/// </summary>
/// <remarks>
/// The tick must finish well inside its period (a second at the finest), however many sources there
/// are: it reads every marker in one query and claims and sends for the due sources side by side.
/// Measuring sources is not its work (<see cref="SourceStatisticsReader.RefreshStaleAsync"/> runs on
/// its own timer).
/// </remarks>
public sealed class SourcePullScheduler(
    SourceRegistry registry,
    SourceCursorStore cursors,
    SupervisionStorage storage,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    ILogger<SourcePullScheduler> logger)
{
    /// <summary>Claims and sends in flight at once: enough to hide storage round trips, few enough not to flood it.</summary>
    private const int ClaimsAtOnce = 16;

    /// <summary>Enqueues a pull for each due source and returns what it enqueued.</summary>
    public async Task<IReadOnlyList<PullSourceMessage>> EnqueueDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var tolerance = options.Value.DueTolerance;
        var sources = await registry.ListAsync(cancellationToken);
        var markers = await cursors.LoadMarkersAsync(cancellationToken);
        var due = new List<(PullMarkerEntity Marker, PullSourceMessage Message)>();
        foreach (var definition in sources.Select(s => s.Definition).Where(d => !d.IsPushed && d.Enabled))
        {
            var schedule = CronExpression.Parse(definition.Schedule ?? SourceDefinition.DefaultSchedule, CronFormat.IncludeSeconds);
            var marker = SourceCursorStore.MarkerOf(markers, definition.Id);
            if (PullDue.Occurrence(schedule, marker.EnqueuedThrough, now, tolerance) is { } occurrence)
            {
                due.Add((marker, new PullSourceMessage(definition.Id, occurrence)));
            }
        }

        var enqueued = new ConcurrentQueue<PullSourceMessage>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = ClaimsAtOnce, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(due, parallel, async (pull, ct) =>
        {
            if (await ClaimAndSendAsync(pull.Marker, pull.Message, PullDue.Horizon(now, tolerance), ct))
            {
                enqueued.Enqueue(pull.Message);
            }
        });

        return [.. enqueued];
    }

    private async Task<bool> ClaimAndSendAsync(
        PullMarkerEntity marker, PullSourceMessage message, DateTimeOffset horizon, CancellationToken cancellationToken)
    {
        // Claim the occurrence before sending, so a duplicate timer fire racing this one loses the
        // marker's ETag and sends nothing. A crash between the two loses this one pull; the next
        // occurrence pulls whatever it would have read. Each source has its own marker, so claims
        // for different sources running side by side never contend.
        if (!await cursors.TryAdvanceMarkerAsync(marker, horizon, cancellationToken))
        {
            logger.LogInformation("Source {SourceId}: another tick enqueued occurrence {Occurrence}", message.SourceId, message.Occurrence);
            return false;
        }

        await storage.Queue(StorageNames.Queues.SourcesToPull)
            .SendMessageAsync(JsonSerializer.Serialize(message, MessageJson.Options), cancellationToken);
        return true;
    }
}
