using System.Text.Json;
using Cronos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// "Pull this source for this occurrence of its schedule": the PullFeeds timer → PullSource, inside
/// ingestion. <see cref="Claim"/> names the marker's claim, which the pull settles when it finishes.
/// </summary>
public sealed record PullSourceMessage(string SourceId, DateTimeOffset Occurrence, string? Claim = null);

/// <summary>
/// The PullFeeds timer's work: decide which sources are due and enqueue one pull per due source on
/// <c>sources-to-pull</c>. It pulls nothing itself, so a slow publisher holds only its own message
/// and the queue's concurrency runs the pulls side by side.
/// </summary>
/// <remarks>
/// The tick must finish well inside its period (a second at the finest), however many sources there
/// are: it reads every marker in one query, claims the due sources 100 to a transaction, and sends
/// their messages side by side. A source whose last pull is still queued or running is not due
/// (<see cref="PullDue.IsOutstanding"/>), so an overloaded system holds one message per source, not
/// one per occurrence. Measuring sources is not its work (<see cref="SourceStatisticsReader.RefreshStaleAsync"/>
/// runs on its own timer).
/// </remarks>
public sealed class SourcePullScheduler(
    SourceRegistry registry,
    SourceCursorStore cursors,
    SupervisionStorage storage,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    ILogger<SourcePullScheduler> logger)
{
    /// <summary>Sends in flight at once: enough to hide storage round trips, few enough not to flood it.</summary>
    private const int SendsAtOnce = 16;

    /// <summary>A duplicate fire loses a claim race once, then finds its sources claimed; more means storage trouble.</summary>
    private const int ClaimAttempts = 4;

    /// <summary>Enqueues a pull for each due source and returns what it enqueued.</summary>
    public async Task<IReadOnlyList<PullSourceMessage>> EnqueueDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var started = time.GetTimestamp();
        var pulled = (await registry.ListAsync(cancellationToken))
            .Select(s => s.Definition)
            .Where(d => !d.IsPushed && d.Enabled)
            .ToList();
        var markers = await cursors.LoadMarkersAsync(cancellationToken);
        var enqueued = new List<PullSourceMessage>();
        var due = Due(pulled, markers, now);

        // Claim, then send, a transaction's worth at a time: a crash between the two strands at most
        // one batch of claims, which their expiry frees (IngestionOptions.PendingPullExpiry).
        foreach (var batch in due.Chunk(SourceCursorStore.ClaimsPerTransaction))
        {
            if (enqueued.Count > 0 && time.GetElapsedTime(started) >= options.Value.TickBudget)
            {
                // Unclaimed, so still due: the next tick takes them, and finds the ones claimed here outstanding.
                logger.LogInformation(
                    "PullFeeds tick spent its budget after {Enqueued} of {Due} due sources; the rest go to the next tick",
                    enqueued.Count,
                    due.Count);
                break;
            }

            var claimed = await ClaimAsync(batch, now, cancellationToken);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = SendsAtOnce, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(claimed, parallel, async (message, ct) =>
                await storage.Queue(StorageNames.Queues.SourcesToPull)
                    .SendMessageAsync(JsonSerializer.Serialize(message, MessageJson.Options), ct));
            enqueued.AddRange(claimed);
        }

        return enqueued;
    }

    private List<DueSource> Due(
        IEnumerable<SourceDefinition> definitions, IReadOnlyDictionary<string, PullMarkerEntity> markers, DateTimeOffset now)
    {
        var settings = options.Value;
        var due = new List<DueSource>();
        foreach (var definition in definitions)
        {
            var marker = SourceCursorStore.MarkerOf(markers, definition.Id);
            if (PullDue.IsOutstanding(marker.PendingSince, now, settings.PendingPullExpiry))
            {
                continue;
            }

            var schedule = CronExpression.Parse(definition.Schedule ?? SourceDefinition.DefaultSchedule, CronFormat.IncludeSeconds);
            if (PullDue.Occurrence(schedule, marker.EnqueuedThrough, now, settings.DueTolerance) is { } occurrence)
            {
                due.Add(new DueSource(definition, marker, occurrence));
            }
        }

        return due;
    }

    /// <summary>
    /// Claims one batch of due sources in one transaction, before any message is sent, so a duplicate
    /// timer fire racing this one loses the markers' ETags and sends nothing. Losing a race fails the
    /// whole transaction; the markers are then read again and the sources still due claimed again.
    /// </summary>
    private async Task<List<PullSourceMessage>> ClaimAsync(
        IReadOnlyList<DueSource> batch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var horizon = PullDue.Horizon(now, options.Value.DueTolerance);
        for (var attempt = 1; batch.Count > 0; attempt++)
        {
            var messages = batch.Select(due => due.Claim(horizon, now)).ToList();
            if (await cursors.TryClaimAsync([.. batch.Select(due => due.Marker)], cancellationToken))
            {
                return messages;
            }

            if (attempt == ClaimAttempts)
            {
                logger.LogWarning(
                    "{Count} due sources lost {Attempts} claim races in one tick; the next tick finds them still due",
                    batch.Count,
                    attempt);
                break;
            }

            var fresh = await cursors.LoadMarkersAsync(cancellationToken);
            var still = Due(batch.Select(due => due.Definition), fresh, now);
            logger.LogInformation("Another tick claimed {Count} of {Batch} due sources first", batch.Count - still.Count, batch.Count);
            batch = still;
        }

        return [];
    }

    private sealed record DueSource(SourceDefinition Definition, PullMarkerEntity Marker, DateTimeOffset Occurrence)
    {
        /// <summary>Moves the marker past this tick and marks its pull outstanding under a new claim.</summary>
        public PullSourceMessage Claim(DateTimeOffset horizon, DateTimeOffset now)
        {
            Marker.EnqueuedThrough = horizon;
            Marker.PendingClaim = Guid.NewGuid().ToString("N");
            Marker.PendingSince = now;
            return new PullSourceMessage(Definition.Id, Occurrence, Marker.PendingClaim);
        }
    }
}
