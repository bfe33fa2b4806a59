using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

public sealed class SourcePullHandlerTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Feed = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel><title>t</title><link>http://x/</link><description>d</description>
          <item><guid>a</guid><title>First</title></item>
          <item><guid>b</guid><title>Second</title></item>
        </channel></rss>
        """;

    [Fact]
    public async Task Pull_SameFeedTwice_QueuesEachItemOnceAndArchivesTheBytes()
    {
        var publisher = new RecordingHandler((request, _) => request.Headers.IfNoneMatch.Count > 0
            ? RecordingHandler.Status(HttpStatusCode.NotModified)
            : Ok(Feed, "application/rss+xml", "\"v1\""));
        await using var services = await Services(publisher);
        var source = Source(SourceFormat.Feed);

        var first = await Handler(services).PullAsync(source, CancellationToken.None);
        var second = await Handler(services).PullAsync(source, CancellationToken.None);

        Assert.Equal((PullOutcome.NewItems, 2), (first.Outcome, first.ItemsQueued));
        Assert.Equal(PullOutcome.NotModified, second.Outcome);
        Assert.Equal("\"v1\"", publisher.Sent.Last().Request.Headers.IfNoneMatch.Single().ToString());
        Assert.Equal(2, await QueuedAsync(services));
        var archived = await services.GetRequiredService<RawArchive>()
            .ReadAsync(ContentHash.Sha256Hex(Encoding.UTF8.GetBytes(Feed)), CancellationToken.None);
        Assert.Equal(Feed, Encoding.UTF8.GetString(archived!));
        var ledger = await TableRows.InPartitionAsync(
            services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.SeenItems),
            source.Definition.Id);
        // Rows starting with '~' are the source's counters, beside its items.
        Assert.All(
            ledger.Where(row => !row.RowKey.StartsWith('~')),
            row => Assert.Equal(ContentHash.Sha256Hex(Encoding.UTF8.GetBytes(Feed)), row.GetString("RawSha256")));
    }

    [Fact]
    public async Task Pull_RepostsAcrossSources_BecomeOneStoryWithReach()
    {
        const string story = "华夏示例食品有限公司因销售过期牛奶被市场监管局罚款二十万元，消费者投诉不断";
        var publisher = new RecordingHandler((request, _) => Ok(
            $"<rss version=\"2.0\"><channel><item><guid>{request.RequestUri!.Host}</guid>"
            + $"<title>{(request.RequestUri.Host == "one.test" ? story : "转发：" + story + "！")}</title></item></channel></rss>",
            "application/rss+xml", null));
        await using var services = await Services(publisher);

        var one = await Handler(services).PullAsync(Source(SourceFormat.Feed, "http://one.test/feed"), CancellationToken.None);
        var two = await Handler(services).PullAsync(Source(SourceFormat.Feed, "http://two.test/feed"), CancellationToken.None);

        Assert.Equal((1, 0), (one.ItemsQueued, one.Duplicates));
        Assert.Equal((0, 1), (two.ItemsQueued, two.Duplicates));
        Assert.Equal(1, await QueuedAsync(services));
    }

    [Fact]
    public async Task Pull_JsonPages_FollowsTheCursorAndResumesFromTheLastPage()
    {
        var pages = new Dictionary<string, string>
        {
            [""] = """{"items":[{"id":"1","title":"one"},{"id":"2","title":"two"}],"next_cursor":"p2"}""",
            ["p2"] = """{"items":[{"id":"3","title":"three"}],"next_cursor":null}""",
        };
        var publisher = new RecordingHandler((request, _) =>
        {
            var cursor = request.RequestUri!.Query.Contains("cursor=", StringComparison.Ordinal)
                ? request.RequestUri.Query.Split("cursor=")[1]
                : string.Empty;
            return Ok(pages[cursor], "application/json", null);
        });
        await using var services = await Services(publisher);
        var source = Source(SourceFormat.JsonPaged, "http://api.test/items");

        var first = await Handler(services).PullAsync(source, CancellationToken.None);
        pages["p2"] = """{"items":[{"id":"3","title":"three"},{"id":"4","title":"four"}],"next_cursor":null}""";
        var second = await Handler(services).PullAsync(source, CancellationToken.None);

        Assert.Equal(3, first.ItemsQueued);
        Assert.Equal((2, 1), (second.ItemsRead, second.ItemsQueued));
        Assert.EndsWith("cursor=p2", publisher.Sent.Last().Request.RequestUri!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_JsonLines_ReadsGoodLinesAndReportsTheRest()
    {
        const string body =
            "{\"id\":\"c1\",\"title\":\"华夏示例食品虚假宣传遭投诉\",\"published_at\":\"2026-11-27T08:00:00+08:00\"}\n"
            + "{broken\n"
            + "{\"id\":\"c2\",\"text\":\"东方样本化工排污超标\"}\n";
        await using var services = await Services(new RecordingHandler((_, _) => Ok(body, "application/x-ndjson; charset=utf-8", null)));

        var result = await Handler(services).PullAsync(
            Source(SourceFormat.JsonLines, "http://complaints.test/export.jsonl"),
            CancellationToken.None);

        Assert.Equal((PullOutcome.NewItems, 2, 1), (result.Outcome, result.ItemsQueued, result.RecordErrors));
        Assert.Contains("line 2", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_GdeltZip_IngestsEveryRecordWithOrganisations()
    {
        var zip = await File.ReadAllBytesAsync(Path.Combine(
            Supervision.Trainer.ModelPaths.FindRepositoryRoot(),
            "tests",
            "fixtures",
            "gdelt",
            "20230702153000.gkg.csv.zip"));
        await using var services = await Services(new RecordingHandler((_, _) => Bytes(zip, "application/zip")), maxBytes: 8_000_000);

        var result = await Handler(services).PullAsync(
            Source(SourceFormat.GdeltGkg, "http://data.gdeltproject.test/gkg.zip"),
            CancellationToken.None);

        Assert.Equal(PullOutcome.NewItems, result.Outcome);
        Assert.Equal(951, result.ItemsRead);
        Assert.Equal(0, result.RecordErrors);
        Assert.Equal(951, result.ItemsQueued + result.Duplicates);
    }

    [Theory]
    [InlineData("<rss version=\"2.0\"><channel><title>broken</channel></rss>", "text/xml", "Malformed")]
    [InlineData(
        "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><rss version=\"2.0\"><channel><title>&e;</title></channel></rss>",
        "text/xml",
        "DtdProhibited")]
    [InlineData("<html><body>Welcome</body></html>", "text/html", "NotAFeed")]
    [InlineData("GIF89a", "image/gif", "WrongContentType")]
    public async Task Pull_BadFeed_IsQuarantinedWithItsKindReasonAndBytes(string body, string contentType, string kind)
    {
        await using var services = await Services(new RecordingHandler((_, _) => Ok(body, contentType, null)));
        var source = Source(SourceFormat.Feed);

        var result = await Handler(services).PullAsync(source, CancellationToken.None);

        Assert.Equal(PullOutcome.Quarantined, result.Outcome);
        var record = Assert.Single(
            await services.GetRequiredService<Quarantine>().ListAsync(1000, CancellationToken.None),
            r => r.PartitionKey == source.Definition.Id);
        Assert.Equal(kind, record.Kind);
        var blob = await services.GetRequiredService<SupervisionStorage>()
            .Container(StorageNames.Containers.Quarantine)
            .GetBlobClient(record.BlobName)
            .DownloadContentAsync();
        Assert.Equal(body, blob.Value.Content.ToString());
    }

    [Fact]
    public async Task Pull_TruncatedGzip_IsQuarantinedAsCorruptCompression()
    {
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(Feed + new string(' ', 10_000)));
        }

        var truncated = compressed.ToArray()[..(int)(compressed.Length / 2)];
        await using var services = await Services(new RecordingHandler((_, _) =>
        {
            var response = Bytes(truncated, "application/rss+xml");
            response.Content.Headers.ContentEncoding.Add("gzip");
            return response;
        }));
        var source = Source(SourceFormat.Feed);

        var result = await Handler(services).PullAsync(source, CancellationToken.None);

        Assert.Equal(PullOutcome.Quarantined, result.Outcome);
        Assert.StartsWith("CorruptCompression", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_TruncatedGdeltZip_IsQuarantinedAsCorruptCompression()
    {
        var zip = await File.ReadAllBytesAsync(Path.Combine(
            Supervision.Trainer.ModelPaths.FindRepositoryRoot(),
            "tests",
            "fixtures",
            "gdelt",
            "20230702153000.gkg.csv.zip"));
        await using var services = await Services(
            new RecordingHandler((_, _) => Bytes(zip[..(zip.Length / 3)], "application/zip")),
            maxBytes: 8_000_000);

        var result = await Handler(services).PullAsync(
            Source(SourceFormat.GdeltGkg, "http://data.gdeltproject.test/cut.zip"),
            CancellationToken.None);

        Assert.Equal(PullOutcome.Quarantined, result.Outcome);
        Assert.StartsWith("CorruptCompression", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_Oversized_IsQuarantinedUnparsed()
    {
        await using var services = await Services(
            new RecordingHandler((_, _) => Ok(Feed + new string(' ', 4096), "text/xml", null)),
            maxBytes: 1024);

        var result = await Handler(services).PullAsync(Source(SourceFormat.Feed), CancellationToken.None);

        Assert.Equal(PullOutcome.Quarantined, result.Outcome);
        Assert.StartsWith("Oversized", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_SendsTheCredentialFromItsNamedSetting()
    {
        var publisher = new RecordingHandler((_, _) => Ok(Feed, "application/rss+xml", null));
        await using var services = await Services(publisher, settings: new() { ["Sources:Monitor:Token"] = "s3cret" });
        var source = Source(SourceFormat.Feed) with
        {
            Definition = Source(SourceFormat.Feed).Definition with { CredentialSetting = "Sources:Monitor:Token" },
        };

        await Handler(services).PullAsync(source, CancellationToken.None);

        Assert.Equal("Bearer s3cret", publisher.Sent.Single().Request.Headers.Authorization?.ToString());
    }

    private static SourcePullHandler Handler(IServiceProvider services) => services.GetRequiredService<SourcePullHandler>();

    private static RegisteredSource Source(SourceFormat format, string url = "http://publisher.test/feed.xml")
    {
        var id = $"{format.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}"[..30];
        return new RegisteredSource(
            new SourceDefinition(id, "test", SourceKind.NewsFeed, format, 0.8) { Url = new Uri(url) },
            0.8,
            null,
            null);
    }

    private static HttpResponseMessage Ok(string body, string contentType, string? etag)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (etag is not null)
        {
            response.Headers.ETag = EntityTagHeaderValue.Parse(etag);
        }

        return response;
    }

    private static HttpResponseMessage Bytes(byte[] body, string contentType)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
        response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return response;
    }

    /// <summary>Items waiting for scoring, counted inside the (possibly grouped) messages.</summary>
    private static async Task<int> QueuedAsync(IServiceProvider services)
    {
        var messages = await services.GetRequiredService<SupervisionStorage>()
            .Queue(StorageNames.Queues.ItemsToScore)
            .PeekMessagesAsync(32);
        return messages.Value.Sum(m =>
        {
            using var json = System.Text.Json.JsonDocument.Parse(m.Body.ToString());
            return json.RootElement.TryGetProperty("items", out var items) ? items.GetArrayLength() : 1;
        });
    }

    private async Task<ServiceProvider> Services(
        RecordingHandler publisher,
        long maxBytes = 1_000_000,
        Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Ingestion:MaxFeedBytes"] = maxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var services = await TestServices.BuildAsync(
            azurite.ConnectionString,
            values,
            s => s.AddHttpClient(HttpFetcher.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => publisher));
        // Each test reads the queue from empty, and starts its own story index.
        await services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.ItemsToScore).ClearMessagesAsync();
        await DeleteStoriesAsync(services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.Stories));
        return services;
    }

    private static async Task DeleteStoriesAsync(TableClient table)
    {
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }
    }
}
