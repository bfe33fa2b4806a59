using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

public sealed class FeedPullHandlerTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Feed = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>t</title><link>http://x/</link><description>d</description>
          <item><guid>a</guid><title>First</title></item>
          <item><guid>b</guid><title>Second</title></item>
        </channel></rss>
        """;

    [Fact]
    public async Task PullAsync_SameFeedTwice_QueuesEachItemOnceAndArchivesTheBytes()
    {
        var publisher = new RecordingHandler((request, _) => request.Headers.IfNoneMatch.Count > 0
            ? RecordingHandler.Status(HttpStatusCode.NotModified)
            : Ok(Feed, "\"v1\""));
        await using var services = await Services(publisher);
        var handler = services.GetRequiredService<FeedPullHandler>();
        var source = new FeedSource("pull-twice", "test", new Uri("http://publisher.test/feed.xml"), 0.8);

        var first = await handler.PullAsync(source, CancellationToken.None);
        var second = await handler.PullAsync(source, CancellationToken.None);

        Assert.Equal((PullOutcome.NewItems, 2), (first.Outcome, first.ItemsQueued));
        Assert.Equal(PullOutcome.NotModified, second.Outcome);
        var cursor = await services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.SourceCursors).GetEntityAsync<SourceCursorEntity>(SourceCursorEntity.Partition, source.Id);
        Assert.True(cursor.Value.LastSuccessAt > DateTimeOffset.UtcNow.AddMinutes(-1), "a 304 counts as a successful pull");
        Assert.Equal("\"v1\"", publisher.Sent.Last().Request.Headers.IfNoneMatch.Single().ToString());
        var queue = services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.ItemsToScore);
        Assert.Equal(2, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        var archived = await services.GetRequiredService<RawArchive>().ReadAsync(ContentHash.Sha256Hex(Encoding.UTF8.GetBytes(Feed)), CancellationToken.None);
        Assert.Equal(Feed, Encoding.UTF8.GetString(archived!));
    }

    [Fact]
    public async Task PullAsync_ChangedFeedRepeatingOldItems_QueuesOnlyTheNewOne()
    {
        var version = 0;
        var publisher = new RecordingHandler((_, _) => ++version == 1 ? Ok(Feed, null) : Ok(Feed.Replace("<item><guid>b</guid>", "<item><guid>c</guid><title>Third</title></item><item><guid>b</guid>", StringComparison.Ordinal), null));
        await using var services = await Services(publisher);
        var source = new FeedSource("changed", "test", new Uri("http://publisher.test/changed.xml"), 0.8);
        var handler = services.GetRequiredService<FeedPullHandler>();

        await handler.PullAsync(source, CancellationToken.None);
        var second = await handler.PullAsync(source, CancellationToken.None);

        Assert.Equal((3, 1), (second.ItemsRead, second.ItemsQueued));
    }

    [Theory]
    [InlineData("<rss version=\"2.0\"><channel><title>broken</channel></rss>", "malformed XML")]
    [InlineData("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><rss version=\"2.0\"><channel><title>&e;</title></channel></rss>", "DTD")]
    public async Task PullAsync_BadFeed_IsQuarantinedWithItsReasonAndBytes(string body, string reason)
    {
        await using var services = await Services(new RecordingHandler((_, _) => Ok(body, null)));
        var source = new FeedSource("bad-" + Guid.NewGuid().ToString("N")[..8], "test", new Uri("http://publisher.test/bad.xml"), 0.5);

        var result = await services.GetRequiredService<FeedPullHandler>().PullAsync(source, CancellationToken.None);

        Assert.Equal(PullOutcome.Quarantined, result.Outcome);
        var record = Assert.Single(await services.GetRequiredService<Quarantine>().ListAsync(100, CancellationToken.None), r => r.PartitionKey == source.Id);
        Assert.Contains(reason, record.Reason, StringComparison.Ordinal);
        var blob = await services.GetRequiredService<SupervisionStorage>().Container(StorageNames.Containers.Quarantine).GetBlobClient(record.BlobName).DownloadContentAsync();
        Assert.Equal(body, blob.Value.Content.ToString());
    }

    [Fact]
    public async Task PullAsync_OversizedFeed_IsQuarantinedUnparsed()
    {
        await using var services = await Services(new RecordingHandler((_, _) => Ok(Feed + new string(' ', 4096), null)), maxBytes: 1024);
        var source = new FeedSource("oversized", "test", new Uri("http://publisher.test/big.xml"), 0.5);

        var result = await services.GetRequiredService<FeedPullHandler>().PullAsync(source, CancellationToken.None);

        Assert.Equal(PullOutcome.Quarantined, result.Outcome);
        Assert.StartsWith("oversized", result.Detail, StringComparison.Ordinal);
    }

    private static HttpResponseMessage Ok(string body, string? etag)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/rss+xml") };
        if (etag is not null)
        {
            response.Headers.ETag = EntityTagHeaderValue.Parse(etag);
        }

        return response;
    }

    private async Task<ServiceProvider> Services(RecordingHandler publisher, long maxBytes = 1_000_000)
    {
        var services = await TestServices.BuildAsync(
            azurite.ConnectionString,
            new Dictionary<string, string?> { ["Ingestion:MaxFeedBytes"] = maxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            s => s.AddHttpClient(FeedPullHandler.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => publisher));
        // Each test reads the queue from empty.
        await services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.ItemsToScore).ClearMessagesAsync();
        return services;
    }
}
