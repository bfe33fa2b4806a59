using Cronos;
using Supervision.Infrastructure.Ingestion;

namespace Supervision.Infrastructure.Tests;

public sealed class PullDueTests
{
    private static readonly CronExpression EverySecond = CronExpression.Parse("* * * * * *", CronFormat.IncludeSeconds);
    private static readonly CronExpression Hourly = CronExpression.Parse("0 0 * * * *", CronFormat.IncludeSeconds);
    private static readonly DateTimeOffset Noon = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Tolerance = PullDue.DefaultTolerance;

    [Fact]
    public void Occurrence_NeverEnqueued_IsDueNow()
    {
        Assert.Equal(Noon, PullDue.Occurrence(Hourly, null, Noon, Tolerance));
    }

    [Fact]
    public void Occurrence_TickWakesThreeMillisecondsEarly_StillTakesTheOccurrence()
    {
        var previousTick = Noon.AddSeconds(4).AddMilliseconds(-3);
        var through = PullDue.Horizon(previousTick, Tolerance);

        var due = PullDue.Occurrence(EverySecond, through, Noon.AddSeconds(5).AddMilliseconds(-3), Tolerance);

        Assert.Equal(Noon.AddSeconds(5), due);
    }

    [Fact]
    public void Occurrence_DuplicateTickForTheSameOccurrence_FindsNothingDue()
    {
        var tick = Noon.AddSeconds(5).AddMilliseconds(-3);
        var through = PullDue.Horizon(tick, Tolerance);

        Assert.Null(PullDue.Occurrence(EverySecond, through, tick.AddMilliseconds(2), Tolerance));
    }

    [Fact]
    public void Occurrence_HourlyScheduleMidHour_IsNotDueUntilTheHour()
    {
        var through = PullDue.Horizon(Noon, Tolerance);

        Assert.Null(PullDue.Occurrence(Hourly, through, Noon.AddMinutes(59).AddSeconds(59), Tolerance));
        Assert.Equal(Noon.AddHours(1), PullDue.Occurrence(Hourly, through, Noon.AddHours(1).AddMilliseconds(-4), Tolerance));
    }

    [Fact]
    public void Occurrence_PunctualThenEarlyTicks_TakeOneOccurrenceEach()
    {
        DateTimeOffset? through = null;
        var taken = 0;
        for (var i = 0; i < 300; i++)
        {
            // Alternately on time and up to 9 ms early, the pattern that made the old rule skip.
            var tick = Noon.AddSeconds(i).AddMilliseconds(i % 2 == 0 ? 0 : -(1 + (i % 9)));
            if (PullDue.Occurrence(EverySecond, through, tick, Tolerance) is not null)
            {
                taken++;
                through = PullDue.Horizon(tick, Tolerance);
            }
        }

        Assert.Equal(300, taken);
    }
}
