using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>The PullFeeds tick's cost: what it reads and writes for many sources, and what it leaves to MeasureSources.</summary>
public sealed class SourcePullTickTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    // Half past: the hourly sources' next occurrence is 30 minutes away.
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task EnqueueDue_FiftySources_ReadsEveryMarkerInOneQueryAndEnqueuesExactlyTheDueOnes()
    {
        var requests = new TableRequestRecorder();
        var clock = new FakeTimeProvider(Start);
        await using var services = await Services(clock, requests);
        var prefix = $"tick{Guid.NewGuid():N}"[..12];
        var everySecond = Enumerable.Range(0, 25).Select(i => $"{prefix}-s{i:00}").ToList();
        var hourly = Enumerable.Range(0, 25).Select(i => $"{prefix}-h{i:00}").ToList();
        await SeedAsync(services, everySecond, "* * * * * *");
        await SeedAsync(services, hourly, "0 0 * * * *");
        var scheduler = services.GetRequiredService<SourcePullScheduler>();
        var firstTick = await scheduler.EnqueueDueAsync(CancellationToken.None);
        var first = Mine(firstTick, prefix);
        await SettleAsync(services, firstTick);
        clock.Advance(TimeSpan.FromSeconds(1));
        requests.Clear();

        var second = Mine(await scheduler.EnqueueDueAsync(CancellationToken.None), prefix);

        Assert.Equal(everySecond.Concat(hourly).Order(StringComparer.Ordinal), first.Order(StringComparer.Ordinal));
        Assert.Equal(everySecond, second.Order(StringComparer.Ordinal));
        var sent = requests.Sent;
        var markerReads = sent
            .Where(r => r.Method == "GET" && r.Path.Contains($"/{StorageNames.Tables.SourceCursors}(", StringComparison.Ordinal))
            .ToList();
        var markerQuery = Assert.Single(markerReads);
        Assert.Contains($"'{PullMarkerEntity.Partition}'", markerQuery.Path, StringComparison.Ordinal);
        Assert.DoesNotContain(sent, r => r.Method == "GET" && r.Path.Contains("RowKey=", StringComparison.Ordinal));
        // Only the claims write: one transaction for the due sources, and nothing measured inside the tick.
        var claims = Assert.Single(sent, r => r.Method != "GET");
        Assert.Contains("$batch", claims.Path, StringComparison.Ordinal);
        Assert.DoesNotContain(sent, r => r.Path.Contains($"/{StorageNames.Tables.SeenItems}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnqueueDue_TwoTicksFireTogether_EachDueSourceEnqueuedOnce()
    {
        var clock = new FakeTimeProvider(Start);
        await using var services = await Services(clock, new TableRequestRecorder());
        var prefix = $"race{Guid.NewGuid():N}"[..12];
        var ids = Enumerable.Range(0, 40).Select(i => $"{prefix}-{i:00}").ToList();
        await SeedAsync(services, ids, "* * * * * *");
        var scheduler = services.GetRequiredService<SourcePullScheduler>();

        // Duplicate fires: both ticks read the same markers, then race for the claims; first for
        // markers not yet written (insert once), then, with every pull finished, for stored ones (ETags).
        var firstTicks = await Task.WhenAll(
            scheduler.EnqueueDueAsync(CancellationToken.None), scheduler.EnqueueDueAsync(CancellationToken.None));
        await SettleAsync(services, firstTicks.SelectMany(t => t));
        clock.Advance(TimeSpan.FromSeconds(1));
        var secondTicks = await Task.WhenAll(
            scheduler.EnqueueDueAsync(CancellationToken.None), scheduler.EnqueueDueAsync(CancellationToken.None));

        Assert.Equal(ids, firstTicks.SelectMany(t => Mine(t, prefix)).Order(StringComparer.Ordinal));
        Assert.Equal(ids, secondTicks.SelectMany(t => Mine(t, prefix)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RefreshStale_MeasuredRecently_MeasuresOnlyTheStaleSources()
    {
        var requests = new TableRequestRecorder();
        var clock = new FakeTimeProvider(Start);
        await using var services = await Services(clock, requests);
        var prefix = $"meas{Guid.NewGuid():N}"[..12];
        var ids = Enumerable.Range(0, 12).Select(i => $"{prefix}-{i:00}").ToList();
        await SeedAsync(services, ids, "* * * * * *");
        var statistics = services.GetRequiredService<SourceStatisticsReader>();
        var table = services.GetRequiredService<SourceTable>();

        await statistics.RefreshStaleAsync(SourceStatisticsReader.RemeasureAfter, CancellationToken.None);
        var measured = (await table.ListAsync(CancellationToken.None))
            .Where(r => r.Definition.Id.StartsWith(prefix, StringComparison.Ordinal))
            .ToList();
        clock.Advance(SourceStatisticsReader.RemeasureAfter / 2);
        requests.Clear();
        await statistics.RefreshStaleAsync(SourceStatisticsReader.RemeasureAfter, CancellationToken.None);
        var duplicateFire = requests.Sent;

        Assert.Equal(ids.Count, measured.Count);
        Assert.All(measured, r => Assert.Equal(Start, r.MeasuredAt));
        Assert.DoesNotContain(duplicateFire, r => r.Path.Contains($"/{StorageNames.Tables.SeenItems}", StringComparison.Ordinal));
        Assert.DoesNotContain(duplicateFire, r => r.Method != "GET");
    }

    private static List<string> Mine(IEnumerable<PullSourceMessage> messages, string prefix) =>
        [.. messages.Select(m => m.SourceId).Where(id => id.StartsWith(prefix, StringComparison.Ordinal))];

    /// <summary>What each pull's end does to the tick: its claim settled, so the source may be enqueued again.</summary>
    private static async Task SettleAsync(IServiceProvider services, IEnumerable<PullSourceMessage> pulls)
    {
        var cursors = services.GetRequiredService<SourceCursorStore>();
        Assert.All(
            await Task.WhenAll(pulls.Select(p => cursors.SettleMarkerAsync(p.SourceId, p.Claim!, CancellationToken.None))),
            Assert.True);
    }

    private static Task<int> SeedAsync(IServiceProvider services, IEnumerable<string> ids, string schedule) =>
        services.GetRequiredService<SourceRegistry>().SeedAsync(
            [
                .. ids.Select(id => new SourceDefinition(id, id, SourceKind.NewsFeed, SourceFormat.Feed, 0.8)
                {
                    Url = new Uri($"http://{id}.test/feed.xml"),
                    Schedule = schedule,
                }),
            ],
            CancellationToken.None);

    private Task<ServiceProvider> Services(TimeProvider time, TableRequestRecorder requests) =>
        TestServices.BuildAsync(
            azurite.ConnectionString,
            configure: s =>
            {
                s.AddSingleton(time);
                s.AddSingleton(PolicyStorage.With(azurite.ConnectionString, requests));
            });
}
