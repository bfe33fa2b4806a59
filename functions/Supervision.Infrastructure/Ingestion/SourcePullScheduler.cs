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
public sealed class SourcePullScheduler(
    SourceRegistry registry,
    SourceCursorStore cursors,
    SourceStatisticsReader statistics,
    SupervisionStorage storage,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    ILogger<SourcePullScheduler> logger)
{
    private static readonly TimeSpan MeasureEvery = TimeSpan.FromMinutes(10);

    /// <summary>Enqueues a pull for each due source and returns what it enqueued.</summary>
    public async Task<IReadOnlyList<PullSourceMessage>> EnqueueDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var tolerance = options.Value.DueTolerance;
        var enqueued = new List<PullSourceMessage>();
        foreach (var source in await registry.ListAsync(cancellationToken))
        {
            var definition = source.Definition;
            if (definition.IsPushed || !definition.Enabled)
            {
                continue;
            }

            var schedule = CronExpression.Parse(definition.Schedule ?? SourceDefinition.DefaultSchedule, CronFormat.IncludeSeconds);
            var marker = await cursors.LoadMarkerAsync(definition.Id, cancellationToken);
            if (PullDue.Occurrence(schedule, marker.EnqueuedThrough, now, tolerance) is not { } occurrence)
            {
                continue;
            }

            // Claim the occurrence before sending, so a duplicate timer fire racing this one loses the
            // marker's ETag and sends nothing. A crash between the two loses this one pull; the next
            // occurrence pulls whatever it would have read.
            if (!await cursors.TryAdvanceMarkerAsync(marker, PullDue.Horizon(now, tolerance), cancellationToken))
            {
                logger.LogInformation("Source {SourceId}: another tick enqueued occurrence {Occurrence}", definition.Id, occurrence);
                continue;
            }

            var message = new PullSourceMessage(definition.Id, occurrence);
            await storage.Queue(StorageNames.Queues.SourcesToPull)
                .SendMessageAsync(JsonSerializer.Serialize(message, MessageJson.Options), cancellationToken);
            enqueued.Add(message);
        }

        await statistics.RefreshStaleAsync(MeasureEvery, cancellationToken);
        return enqueued;
    }
}
