using Cronos;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// When a source is due: by its schedule's occurrences, not by how punctually the timer wakes.
/// The marker says "every occurrence up to here has been enqueued". A tick at <c>now</c> is due
/// for the first occurrence after the marker if it falls at or before <c>now + tolerance</c>, and
/// then moves the marker to <c>now + tolerance</c>.
/// </summary>
/// <remarks>
/// Why a horizon and not "the next occurrence ≤ now": timers wake a few milliseconds early, and a
/// tick at 12:00:04.997 would otherwise miss the 12:00:05 occurrence and leave it to the next tick
/// (the old rule skipped 19 of 288 one-second ticks). Why the marker and not the last attempt: a
/// duplicate tick finds its occurrence already behind the marker and enqueues nothing. The tolerance
/// must stay below the tick period minus how early a tick wakes, or a punctual tick would claim the
/// next tick's occurrence and an early next tick would then find nothing due; half a second suits
/// every tick of one second or more (six-field NCRONTAB's finest grain).
/// <para>
/// Why coalesce: while a source's enqueued pull is still queued or running, its later occurrences
/// wait on the marker instead of piling up as messages behind it. Nothing is skipped: the marker
/// stays where it was, so the first tick after that pull finishes finds the waiting occurrences due
/// and enqueues one pull for them all (a pull reads everything published since the last one).
/// </para>
/// </remarks>
public static class PullDue
{
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMilliseconds(500);

    /// <summary>The occurrence this tick should enqueue, or null if none is due; a never-pulled source is due now.</summary>
    public static DateTimeOffset? Occurrence(
        CronExpression schedule, DateTimeOffset? enqueuedThrough, DateTimeOffset now, TimeSpan tolerance)
    {
        if (enqueuedThrough is not { } through)
        {
            return now;
        }

        var next = schedule.GetNextOccurrence(through.UtcDateTime, inclusive: false);
        return next is { } due && due <= (now + tolerance).UtcDateTime ? new DateTimeOffset(due, TimeSpan.Zero) : null;
    }

    /// <summary>
    /// Whether the source's last enqueued pull is still queued or running: its claim is not settled
    /// and younger than <paramref name="expiry"/>, past which its message is presumed lost.
    /// </summary>
    public static bool IsOutstanding(DateTimeOffset? pendingSince, DateTimeOffset now, TimeSpan expiry) =>
        pendingSince is { } since && now - since < expiry;

    /// <summary>Where the marker moves once this tick's pull is enqueued.</summary>
    public static DateTimeOffset Horizon(DateTimeOffset now, TimeSpan tolerance) => now + tolerance;
}
