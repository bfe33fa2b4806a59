using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Cronos;
using Supervision.Infrastructure.Telemetry;
using Supervision.LocalHost.Triggers;

namespace Supervision.Benchmarks;

/// <summary>One run of a timer function: the occurrence it served, when it started, how long it ran.</summary>
internal sealed record TimerTick(string Function, DateTimeOffset Occurrence, DateTimeOffset Started, TimeSpan Duration)
{
    public double LateSeconds => (Started - Occurrence).TotalSeconds;
}

/// <summary>
/// Records the local host's timer ticks from their spans (<see cref="TimerTags"/>), to tell
/// whether a tick started late or ran past the next occurrence, which then never runs.
/// </summary>
internal sealed class TimerTicks : IDisposable
{
    private readonly ActivityListener listener;

    public TimerTicks()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SupervisionTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem(TimerTags.Function) is string function
                    && activity.GetTagItem(TimerTags.Occurrence) is DateTimeOffset occurrence)
                {
                    var started = new DateTimeOffset(activity.StartTimeUtc, TimeSpan.Zero);
                    Ticks.Add(new TimerTick(function, occurrence, started, activity.Duration));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    public ConcurrentBag<TimerTick> Ticks { get; } = [];

    public void Dispose() => listener.Dispose();

    /// <summary>
    /// One line per timer: ticks, lateness, run time, and overruns: runs that lasted past the
    /// schedule's next occurrence (that occurrence is skipped: the scheduler waits for the one after).
    /// </summary>
    public IEnumerable<(string Line, int Overruns)> Describe(IReadOnlyDictionary<string, string> schedules)
    {
        foreach (var group in Ticks.GroupBy(t => t.Function).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var ticks = group.OrderBy(t => t.Occurrence).ToList();
            var cron = schedules.TryGetValue(group.Key, out var expression)
                ? CronExpression.Parse(expression, CronFormat.IncludeSeconds)
                : null;
            var overruns = cron is null ? 0 : ticks.Count(t =>
                cron.GetNextOccurrence(t.Occurrence.UtcDateTime, inclusive: false) is { } next && t.Started + t.Duration > next);
            var late = ticks.Select(t => t.LateSeconds).Order().ToList();
            var runs = ticks.Select(t => t.Duration.TotalSeconds).Order().ToList();
            yield return (string.Create(CultureInfo.InvariantCulture,
                $"timer {group.Key}: {ticks.Count} ticks; started late p50 {Figures.Percentile(late, 0.5) * 1000:N0} ms, "
                + $"p95 {Figures.Percentile(late, 0.95) * 1000:N0} ms, max {late[^1] * 1000:N0} ms; "
                + $"ran p50 {Figures.Percentile(runs, 0.5) * 1000:N0} ms, p95 {Figures.Percentile(runs, 0.95) * 1000:N0} ms, "
                + $"max {runs[^1] * 1000:N0} ms; {overruns} overran the next occurrence"), overruns);
        }
    }
}
