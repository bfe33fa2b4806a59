using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Supervision.LocalHost.Triggers;

namespace Supervision.LocalHost.Tests;

public class TimerSchedulerTests
{
    [Fact]
    public async Task ExecuteAsync_Tick_RecordsASpanNamingTheOccurrenceItServes()
    {
        // A name of this test's own: the listener hears every span of the process.
        var name = "Tick" + Guid.NewGuid().ToString("N");
        var ran = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        var function = new TimerFunction(name, "* * * * * *", (_, _) =>
        {
            ran.TrySetResult(DateTimeOffset.UtcNow);
            return Task.CompletedTask;
        });
        using var telemetry = new TelemetryRecorder();
        using var services = new ServiceCollection().BuildServiceProvider();
        using var scheduler = new TimerScheduler(
            function, new ConfigurationBuilder().Build(), services, TimeProvider.System, NullLogger<TimerScheduler>.Instance);

        await scheduler.StartAsync(CancellationToken.None);
        var ranAt = await ran.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await scheduler.StopAsync(CancellationToken.None);

        var span = telemetry.Spans.First(s => Equals(s.GetTagItem(TimerTags.Function), name));
        var occurrence = Assert.IsType<DateTimeOffset>(span.GetTagItem(TimerTags.Occurrence));
        Assert.Equal(0, occurrence.Millisecond);
        Assert.InRange(ranAt - occurrence, TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(1));
    }
}
