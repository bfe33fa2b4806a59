using Cronos;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.LocalHost.Triggers;

/// <summary>The tags of a timer tick's span.</summary>
public static class TimerTags
{
    public const string Function = "supervision.timer";

    /// <summary>The schedule's occurrence the tick serves (a DateTimeOffset); the span's start says when it actually ran.</summary>
    public const string Occurrence = "supervision.timer.occurrence";
}

/// <summary>
/// Runs a timer-triggered function on the schedule its attribute names: six-field NCRONTAB
/// (with seconds), %SETTING% resolved from configuration as the Functions host does.
/// </summary>
public sealed class TimerScheduler(
    TimerFunction function,
    IConfiguration configuration,
    IServiceProvider services,
    TimeProvider time,
    ILogger<TimerScheduler> logger) : BackgroundService
{
    public static CronExpression ResolveSchedule(string schedule, IConfiguration configuration)
    {
        var expression = schedule;
        if (schedule.Length > 2 && schedule.StartsWith('%') && schedule.EndsWith('%'))
        {
            var setting = schedule[1..^1];
            expression = configuration[setting]
                ?? throw new InvalidOperationException($"The timer schedule names setting '{setting}', which is not set.");
        }

        try
        {
            return CronExpression.Parse(expression, CronFormat.IncludeSeconds);
        }
        catch (CronFormatException e)
        {
            throw new InvalidOperationException($"'{expression}' (from {schedule}) is not a six-field NCRONTAB schedule: {e.Message}", e);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var cron = ResolveSchedule(function.Schedule, configuration);
        var backoff = Backoff.ForStorage();
        var resumeAt = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = cron.GetNextOccurrence(now < resumeAt ? resumeAt : now, TimeZoneInfo.Utc);
            if (next is null)
            {
                return;
            }

            await Task.Delay(next.Value - now, time, stoppingToken);

            // One span per tick, naming the occurrence it serves: how late a tick starts and how
            // long it runs (a run longer than the period skips occurrences) can be read off the traces.
            using var span = SupervisionTelemetry.Source.StartActivity($"Timer {function.Name}");
            span?.SetTag(TimerTags.Function, function.Name);
            span?.SetTag(TimerTags.Occurrence, next.Value);
            try
            {
                await function.Run(services, stoppingToken);
                if (backoff.Succeed() is > 0 and var failures)
                {
                    logger.LogWarning("Timer function {Function} runs again after {Failures} failed ticks", function.Name, failures);
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // As in Functions: a failed timer run is logged and the schedule goes on. Failing
                // again and again (storage down), it skips occurrences for a doubling wait, so a
                // one-second schedule does not hammer storage and the log; the first success resets it.
                var wait = backoff.Fail();
                resumeAt = time.GetUtcNow() + wait;
                if (backoff.Failures == 1)
                {
                    logger.LogError(e, "Timer function {Function} failed", function.Name);
                }
                else if (backoff.Failures % 10 == 0)
                {
                    logger.LogWarning(
                        "Timer function {Function} failed {Failures} times in a row ({Error}); next try in {Wait}",
                        function.Name,
                        backoff.Failures,
                        e.Message,
                        wait);
                }
            }
        }
    }
}
