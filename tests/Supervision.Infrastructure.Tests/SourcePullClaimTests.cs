using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Ingestion;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// The PullFeeds tick over many sources: claims 100 to a transaction, and a tick that spends its
/// budget leaves the rest due. Its own Azurite, so the request counts see only its sources.
/// </summary>
public sealed class SourcePullClaimTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task EnqueueDue_ThousandDueSources_ClaimsThemInTransactionsOfAHundred()
    {
        var requests = new TableRequestRecorder();
        var clock = new FakeTimeProvider(Start);
        await using var services = await Services(clock, requests);
        var prefix = $"kilo{Guid.NewGuid():N}"[..12];
        var ids = Enumerable.Range(0, 1000).Select(i => $"{prefix}-{i:0000}").ToList();
        await SeedAsync(services, ids);
        var scheduler = services.GetRequiredService<SourcePullScheduler>();
        requests.Clear();

        var tick = await scheduler.EnqueueDueAsync(CancellationToken.None);
        var first = requests.Sent;
        clock.Advance(TimeSpan.FromSeconds(1));
        requests.Clear();
        var whilePending = await scheduler.EnqueueDueAsync(CancellationToken.None);
        var second = requests.Sent;

        Assert.Equal(ids, Mine(tick, prefix).Order(StringComparer.Ordinal));
        var writes = first.Where(r => r.Method != "GET").ToList();
        Assert.All(writes, w => Assert.Contains("$batch", w.Path, StringComparison.Ordinal));
        Assert.Equal((tick.Count + 99) / 100, writes.Count);
        // Besides the claims: the registry (cache emptied by the seeding) and the markers, a page per 1,000 rows each.
        Assert.InRange(first.Count - writes.Count, 2, 4);
        // Every pull is still queued: the next tick reads and writes nothing for them.
        Assert.Empty(Mine(whilePending, prefix));
        Assert.DoesNotContain(second, r => r.Method != "GET");
    }

    [Fact]
    public async Task EnqueueDue_TickBudgetSpentAfterOneBatch_LeavesTheRestDueForTheNextTicks()
    {
        var clock = new FakeTimeProvider(Start);
        var settings = new Dictionary<string, string?> { ["Ingestion:TickBudget"] = "00:00:00" };
        await using var services = await Services(clock, new TableRequestRecorder(), settings);
        var prefix = $"budg{Guid.NewGuid():N}"[..12];
        var ids = Enumerable.Range(0, 250).Select(i => $"{prefix}-{i:000}").ToList();
        await SeedAsync(services, ids);
        var scheduler = services.GetRequiredService<SourcePullScheduler>();

        var ticks = new List<IReadOnlyList<PullSourceMessage>>();
        for (var tick = 0; tick < 4; tick++)
        {
            ticks.Add(await scheduler.EnqueueDueAsync(CancellationToken.None));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        // A zero budget still claims one batch per tick; the sources it did not reach wait, unclaimed, for the next.
        Assert.All(ticks.Take(3), t => Assert.InRange(t.Count, 1, SourceCursorStore.ClaimsPerTransaction));
        Assert.Equal(ids, ticks.SelectMany(t => Mine(t, prefix)).Order(StringComparer.Ordinal));
        Assert.Empty(Mine(ticks[3], prefix));
    }

    private static List<string> Mine(IEnumerable<PullSourceMessage> messages, string prefix) =>
        [.. messages.Select(m => m.SourceId).Where(id => id.StartsWith(prefix, StringComparison.Ordinal))];

    private static Task<int> SeedAsync(IServiceProvider services, IEnumerable<string> ids) =>
        services.GetRequiredService<SourceRegistry>().SeedAsync(
            [
                .. ids.Select(id => new SourceDefinition(id, id, SourceKind.NewsFeed, SourceFormat.Feed, 0.8)
                {
                    Url = new Uri($"http://{id}.test/feed.xml"),
                    Schedule = "* * * * * *",
                }),
            ],
            CancellationToken.None);

    private Task<ServiceProvider> Services(
        TimeProvider time, TableRequestRecorder requests, IDictionary<string, string?>? settings = null) =>
        TestServices.BuildAsync(
            azurite.ConnectionString,
            settings,
            s =>
            {
                s.AddSingleton(time);
                s.AddSingleton(PolicyStorage.With(azurite.ConnectionString, requests));
            });
}
