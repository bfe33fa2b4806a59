using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

public sealed class SourcePullSchedulingTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Feed =
        "<rss version=\"2.0\"><channel><title>t</title><item><guid>a</guid><title>One</title></item></channel></rss>";

    // Only a safety net: if the pulls were serial, the slow one proceeds after this and the order check fails.
    private static readonly TimeSpan GiveUp = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task PullSource_SlowPublisherStillSending_OtherSourcesPullStartsAndFinishesFirst()
    {
        var events = new ConcurrentQueue<string>();
        var slowAsked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fastDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var publisher = new RecordingHandler((request, _) =>
        {
            var host = request.RequestUri!.Host.Split('.')[0];
            events.Enqueue($"{host} asked");
            if (host == "slow")
            {
                slowAsked.TrySetResult();
                return FeedResponse(new GatedStream(Feed, fastDone.Task, () => events.Enqueue("slow first bytes")));
            }

            // The fast publisher answers only once the slow one is in flight, so the two overlap.
            return FeedResponse(new GatedStream(Feed, slowAsked.Task, () => { }));
        });
        await using var services = await Services(publisher);
        var (slow, fast) = ($"slow-{Guid.NewGuid():N}"[..20], $"fast-{Guid.NewGuid():N}"[..20]);
        await SeedAsync(services, (slow, "http://slow.test/feed.xml"), (fast, "http://fast.test/feed.xml"));

        var enqueued = (await services.GetRequiredService<SourcePullScheduler>().EnqueueDueAsync(CancellationToken.None))
            .Where(m => m.SourceId == slow || m.SourceId == fast)
            .ToList();
        // As the queue host does with a batch: every message handled at once.
        await Task.WhenAll(enqueued.Select(async message =>
        {
            var result = await Handle(services, message);
            var host = message.SourceId.Split('-')[0];
            events.Enqueue($"{host} finished {result.Outcome}");
            if (host == "fast")
            {
                fastDone.TrySetResult();
            }
        }));

        Assert.Equal(2, enqueued.Count);
        var order = events.ToList();
        Assert.True(
            order.IndexOf("slow asked") < order.IndexOf("fast finished NewItems")
                && order.IndexOf("fast asked") < order.IndexOf("fast finished NewItems")
                && order.IndexOf("fast finished NewItems") < order.IndexOf("slow first bytes")
                && order.IndexOf("slow first bytes") < order.IndexOf("slow finished NewItems"),
            string.Join(" → ", order));
    }

    [Fact]
    public async Task EnqueueDue_TicksWakeEarlyForFiveMinutes_PullsOnEveryTick()
    {
        var start = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start.AddSeconds(-1));
        var publisher = new RecordingHandler((request, _) => request.Headers.IfNoneMatch.Count > 0
            ? RecordingHandler.Status(HttpStatusCode.NotModified)
            : FeedResponse(new MemoryStream(Encoding.UTF8.GetBytes(Feed)), "\"v1\""));
        await using var services = await Services(publisher, clock);
        var id = $"second-{Guid.NewGuid():N}"[..20];
        var url = $"http://{id}.test/feed.xml";
        await SeedAsync(services, (id, url));
        var scheduler = services.GetRequiredService<SourcePullScheduler>();
        var (enqueued, pulled) = (0, 0);

        for (var tick = 0; tick < 300; tick++)
        {
            // Each tick wakes 1 to 9 ms before its second; a duplicate fire follows 1 ms later.
            clock.SetUtcNow(start.AddSeconds(tick).AddMilliseconds(-(1 + (tick * 7 % 9))));
            var messages = (await scheduler.EnqueueDueAsync(CancellationToken.None)).Where(m => m.SourceId == id).ToList();
            clock.Advance(TimeSpan.FromMilliseconds(1));
            var duplicate = (await scheduler.EnqueueDueAsync(CancellationToken.None)).Where(m => m.SourceId == id).ToList();
            enqueued += messages.Count + duplicate.Count;
            foreach (var message in messages)
            {
                var result = await Handle(services, message);
                pulled += result.Outcome is PullOutcome.NewItems or PullOutcome.NotModified ? 1 : 0;
            }
        }

        Assert.Equal((300, 300), (enqueued, pulled));
        Assert.Equal(300, publisher.Sent.Count(s => s.Request.RequestUri!.ToString() == url));
    }

    [Fact]
    public async Task EnqueueDue_DuplicateFireWhileThePullIsStillQueued_SendsNoSecondMessageUntilThePullCompletes()
    {
        var start = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        await using var services = await Services(OkPublisher(), clock);
        var id = $"coal-{Guid.NewGuid():N}"[..20];
        await SeedAsync(services, (id, $"http://{id}.test/feed.xml"));
        var scheduler = services.GetRequiredService<SourcePullScheduler>();
        var queue = services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.SourcesToPull);

        var first = await TickAsync(scheduler, id);
        clock.Advance(TimeSpan.FromSeconds(1));
        var dueWhileQueued = await TickAsync(scheduler, id);
        var duplicateFire = await TickAsync(scheduler, id);
        clock.Advance(TimeSpan.FromSeconds(1));
        var nextWhileQueued = await TickAsync(scheduler, id);
        var queued = Mine(await queue.DrainAsync(), id);
        var pulled = await Handle(services, Assert.Single(queued));
        var afterPull = await TickAsync(scheduler, id);
        var afterPullDuplicate = await TickAsync(scheduler, id);

        Assert.Single(first);
        Assert.Empty(dueWhileQueued.Concat(duplicateFire).Concat(nextWhileQueued));
        Assert.Equal(first.Single(), queued.Single());
        Assert.Equal(PullOutcome.NewItems, pulled.Outcome);
        // Nothing skipped: the pull after it takes the first occurrence that waited, and covers the rest.
        Assert.Equal(start.AddSeconds(1), Assert.Single(afterPull).Occurrence);
        Assert.Empty(afterPullDuplicate);
        Assert.Equal(afterPull, Mine(await queue.DrainAsync(), id));
    }

    [Fact]
    public async Task EnqueueDue_PullMessageLost_EnqueuesAgainOnceItsClaimExpiresAndTheLostPullCannotSettleTheNewOne()
    {
        var start = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(start);
        await using var services = await Services(OkPublisher(), clock);
        var id = $"lost-{Guid.NewGuid():N}"[..20];
        await SeedAsync(services, (id, $"http://{id}.test/feed.xml"));
        var scheduler = services.GetRequiredService<SourcePullScheduler>();
        var expiry = services.GetRequiredService<IOptions<IngestionOptions>>().Value.PendingPullExpiry;

        var lost = Assert.Single(await TickAsync(scheduler, id));
        clock.Advance(expiry - TimeSpan.FromSeconds(1));
        var beforeExpiry = await TickAsync(scheduler, id);
        clock.Advance(TimeSpan.FromSeconds(1));
        var afterExpiry = await TickAsync(scheduler, id);
        var lateLostPull = await Handle(services, lost);
        clock.Advance(TimeSpan.FromSeconds(1));
        var whileTheNewOneIsQueued = await TickAsync(scheduler, id);

        Assert.Empty(beforeExpiry);
        Assert.NotEqual(lost.Claim, Assert.Single(afterExpiry).Claim);
        Assert.Equal(PullOutcome.NewItems, lateLostPull.Outcome);
        Assert.Empty(whileTheNewOneIsQueued);
    }

    [Fact]
    public async Task PullSource_DuplicateDeliveryWhileLeaseHeld_DoesNothing()
    {
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var publisher = new RecordingHandler((_, _) =>
        {
            asked.TrySetResult();
            return FeedResponse(new GatedStream(Feed, release.Task, () => { }));
        });
        await using var services = await Services(publisher);
        var id = $"dup-{Guid.NewGuid():N}"[..20];
        await SeedAsync(services, (id, "http://dup.test/feed.xml"));
        var message = new PullSourceMessage(id, DateTimeOffset.UtcNow);

        var first = Handle(services, message);
        await asked.Task.WaitAsync(GiveUp);
        var duplicate = await Handle(services, message);
        release.SetResult();
        var held = await first;
        var after = await Handle(services, message);

        Assert.Equal(PullOutcome.AlreadyRunning, duplicate.Outcome);
        Assert.Equal(PullOutcome.NewItems, held.Outcome);
        Assert.NotEqual(PullOutcome.AlreadyRunning, after.Outcome);
        Assert.Equal(2, publisher.Sent.Count);
    }

    [Fact]
    public async Task TryAcquireLease_HolderDies_LeaseExpiresAndAStaleReleaseKeepsTheNewHolders()
    {
        await using var services = await Services(new RecordingHandler((_, _) => RecordingHandler.Status(HttpStatusCode.OK)));
        var cursors = services.GetRequiredService<SourceCursorStore>();
        var id = $"lease-{Guid.NewGuid():N}"[..20];
        var now = DateTimeOffset.UtcNow;

        var dead = await cursors.TryAcquireLeaseAsync(id, TimeSpan.FromMinutes(1), now, CancellationToken.None);
        var whileHeld = await cursors.TryAcquireLeaseAsync(id, TimeSpan.FromMinutes(1), now.AddSeconds(59), CancellationToken.None);
        var afterExpiry = await cursors.TryAcquireLeaseAsync(id, TimeSpan.FromMinutes(1), now.AddSeconds(61), CancellationToken.None);
        await cursors.ReleaseLeaseAsync(dead!, CancellationToken.None);
        var afterStaleRelease = await cursors.TryAcquireLeaseAsync(id, TimeSpan.FromMinutes(1), now.AddSeconds(62), CancellationToken.None);

        Assert.NotNull(dead);
        Assert.Null(whileHeld);
        Assert.NotNull(afterExpiry);
        Assert.Null(afterStaleRelease);
    }

    private static async Task<List<PullSourceMessage>> TickAsync(SourcePullScheduler scheduler, string sourceId) =>
        [.. (await scheduler.EnqueueDueAsync(CancellationToken.None)).Where(m => m.SourceId == sourceId)];

    private static List<PullSourceMessage> Mine(IEnumerable<string> queued, string sourceId) =>
        [.. queued.Select(m => JsonSerializer.Deserialize<PullSourceMessage>(m, MessageJson.Options)!).Where(m => m.SourceId == sourceId)];

    private static RecordingHandler OkPublisher() =>
        new((_, _) => FeedResponse(new MemoryStream(Encoding.UTF8.GetBytes(Feed))));

    private static Task<SourcePullResult> Handle(IServiceProvider services, PullSourceMessage message) =>
        services.GetRequiredService<PullSourceHandler>()
            .HandleAsync(JsonSerializer.Serialize(message, MessageJson.Options), CancellationToken.None);

    private static HttpResponseMessage FeedResponse(Stream body, string? etag = null)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) };
        response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/rss+xml");
        if (etag is not null)
        {
            response.Headers.ETag = EntityTagHeaderValue.Parse(etag);
        }

        return response;
    }

    private static Task<int> SeedAsync(IServiceProvider services, params (string Id, string Url)[] sources) =>
        services.GetRequiredService<SourceRegistry>().SeedAsync(
            [
                .. sources.Select(s => new SourceDefinition(s.Id, s.Id, SourceKind.NewsFeed, SourceFormat.Feed, 0.8)
                {
                    Url = new Uri(s.Url),
                    Schedule = "* * * * * *",
                }),
            ],
            CancellationToken.None);

    private Task<ServiceProvider> Services(RecordingHandler publisher, TimeProvider? time = null) =>
        TestServices.BuildAsync(
            azurite.ConnectionString,
            configure: s =>
            {
                s.AddHttpClient(HttpFetcher.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => publisher);
                if (time is not null)
                {
                    s.AddSingleton(time);
                }
            });

    /// <summary>A response body that sends its first bytes only once the gate opens: a publisher still sending.</summary>
    private sealed class GatedStream(string body, Task gate, Action firstBytes) : MemoryStream(Encoding.UTF8.GetBytes(body))
    {
        private bool opened;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!opened)
            {
                await gate.WaitAsync(GiveUp, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                opened = true;
                firstBytes();
            }

            return await base.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
