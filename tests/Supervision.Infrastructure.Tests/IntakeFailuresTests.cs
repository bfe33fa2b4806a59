using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Domain.Scoring;
using Supervision.Domain.Text;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Scoring;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// The hostile feeds of issue 16 (items 1 and 2) through pull, intake and scoring on a real Azurite:
/// nothing garbled in silence, no field too large for storage.
/// </summary>
public sealed class IntakeFailuresTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Uscc = "91330100D3M0000018";
    private const string GoodTitle = "华夏示例食品有限公司因虚假宣传被市场监管局罚款二十万元";
    private const string Mislabelled = "江南纺织集团发布年度社会责任报告";

    [Fact]
    public async Task Pull_ItemWithOneMegabyteLink_SucceedsAndStoresTheItemClipped()
    {
        // Each test's titles differ wholly from the others': the story index spans sources, and a repeat would not be queued.
        const string title = "长链接报道：某地发布冬季消费提示";
        var link = "https://example.cn/news?id=" + new string('a', 1_048_576);
        var feed = $"<rss version=\"2.0\"><channel><item><title>{title}</title><link>{link}</link></item></channel></rss>";
        await using var services = await ServicesAsync(Encoding.UTF8.GetBytes(feed), "application/rss+xml");
        var source = Source();

        var first = await Puller(services).PullAsync(source, CancellationToken.None);
        var second = await Puller(services).PullAsync(source, CancellationToken.None);

        Assert.Equal((PullOutcome.NewItems, 1, null), (first.Outcome, first.ItemsQueued, first.Detail));
        Assert.Equal((PullOutcome.NewItems, 1, 0), (second.Outcome, second.ItemsRead, second.ItemsQueued));
        var item = Assert.Single(await QueuedItemsAsync(services));
        Assert.Equal(ItemFieldLimits.Link, item.Link!.Length);
        Assert.StartsWith(item.Link, link, StringComparison.Ordinal);
        Assert.Equal(NormalisedItem.IdentityFor(source.Definition.Id, null, link, title), item.ItemId);
        Assert.Contains(await LedgerAsync(services, source), row => row.RowKey == item.ItemId);
    }

    [Fact]
    public async Task Pull_ItemOfCharactersJsonEscapesOneByOne_IsClippedUntilItFitsOneQueueMessage()
    {
        // U+0378 is unassigned, so the message JSON escapes each as six bytes: at every field limit this
        // item would be 54 KB of JSON, past what a 64 KiB base64 message holds.
        static string Odd(int count) => string.Concat(Enumerable.Repeat("\\u0378", count));
        var organisations = string.Join(',', Enumerable.Range(0, 30).Select(_ => $"\"{Odd(150)}\""));
        var line = $$"""{"id":"odd","title":"{{Odd(2000)}}","text":"{{Odd(8000)}}","url":"https://example.cn/{{Odd(3000)}}","""
            + $$"""
            "organisations":[{{organisations}}]}
            """ + "\n";
        await using var services = await ServicesAsync(Encoding.UTF8.GetBytes(line), "application/x-ndjson");
        var source = Source(SourceFormat.JsonLines);

        var pulled = await Puller(services).PullAsync(source, CancellationToken.None);

        Assert.Equal((PullOutcome.NewItems, 1), (pulled.Outcome, pulled.ItemsQueued));
        var queue = services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.ItemsToScore);
        var message = Assert.Single(await queue.DrainAsync());
        Assert.True(Encoding.UTF8.GetByteCount(message) <= 48 * 1024, $"{Encoding.UTF8.GetByteCount(message)} bytes");
        var item = StageMessages.Read<ScoreItemMessage>(message).Item;
        Assert.True(item.Summary.Length < ItemFieldLimits.Summary, $"{item.Summary.Length}");
        Assert.Equal(ItemFieldLimits.Link, item.Link!.Length);
    }

    [Fact]
    public async Task Pull_Utf8FeedWithAFewInvalidBytes_GoodItemIsLinkedAndTheDamagedOneFlaggedAndCounted()
    {
        await using var services = await ServicesAsync(FeedWithDamagedItem(), "application/rss+xml; charset=utf-8");
        var source = Source();

        var pulled = await Puller(services).PullAsync(source, CancellationToken.None);
        var scored = await ScoreQueuedAsync(services);

        Assert.Equal((PullOutcome.NewItems, 2), (pulled.Outcome, pulled.ItemsQueued));
        var good = NormalisedItem.IdentityFor(source.Definition.Id, "good", null, string.Empty);
        var damaged = NormalisedItem.IdentityFor(source.Definition.Id, "damaged", null, string.Empty);
        Assert.Equal(Uscc, Assert.Single(scored, r => r.ItemId == good).Uscc);
        var rows = (await LedgerAsync(services, source)).ToDictionary(r => r.RowKey);
        Assert.Equal((true, null), (rows[good].GetBoolean("Linked"), rows[good].GetString(LedgerRows.Decoding)));
        Assert.Equal(nameof(DecodingIssues.InvalidBytesReplaced), rows[damaged].GetString(LedgerRows.Decoding));
        var reader = services.GetRequiredService<SourceStatisticsReader>();
        var statistics = await reader.MeasureAsync(source.Definition.Id, CancellationToken.None);
        Assert.Equal((2, 1, 1, 0), (statistics.Items, statistics.Linked, statistics.InvalidBytesReplaced, statistics.DeclarationWrong));
        var recounted = await reader.RecountAsync(source.Definition.Id, CancellationToken.None);
        Assert.Equal((1, 0), (recounted.InvalidBytesReplaced, recounted.DeclarationWrong));
    }

    [Fact]
    public async Task Pull_GbkFeedDeclaredUtf8_IsReadAsGb18030AndEveryItemCountedAsDeclarationWrong()
    {
        var xml = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0"><channel><item><guid>1</guid><title>{Mislabelled}</title></item>
            <item><guid>2</guid><title>滨海物流公司开通新航线</title></item></channel></rss>
            """;
        await using var services = await ServicesAsync(TextDecoder.ForName("gbk")!.GetBytes(xml), "text/xml; charset=utf-8");
        var source = Source();

        await Puller(services).PullAsync(source, CancellationToken.None);

        var items = await QueuedItemsAsync(services);
        Assert.Contains(items, i => i.Title == Mislabelled && i.Decoding == DecodingIssues.DeclarationWrong);
        var reader = services.GetRequiredService<SourceStatisticsReader>();
        var statistics = await reader.MeasureAsync(source.Definition.Id, CancellationToken.None);
        Assert.Equal((2, 0, 2), (statistics.Items, statistics.InvalidBytesReplaced, statistics.DeclarationWrong));
    }

    /// <summary>A UTF-8 feed of two items; the damaged one has a truncated character (2 bytes) and a stray 0xFF.</summary>
    private static byte[] FeedWithDamagedItem() =>
    [
        .. Encoding.UTF8.GetBytes(
            $"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><item><guid>good</guid><title>{GoodTitle}</title>"""
            + "<description>消费者投诉不断，监管部门已立案调查。</description></item><item><guid>damaged</guid><title>东"),
        0xE6, 0x96,
        .. Encoding.UTF8.GetBytes("样本化工股份有限公司"),
        0xFF,
        .. "</title></item></channel></rss>"u8,
    ];

    private static SourcePullHandler Puller(IServiceProvider services) => services.GetRequiredService<SourcePullHandler>();

    private static RegisteredSource Source(SourceFormat format = SourceFormat.Feed)
    {
        var id = $"intake-{Guid.NewGuid():N}"[..24];
        var definition = new SourceDefinition(id, "test", SourceKind.NewsFeed, format, 0.8)
        {
            Url = new Uri("http://publisher.test/feed"),
        };
        return new RegisteredSource(definition, 0.8, null, null);
    }

    private static async Task<List<NormalisedItem>> QueuedItemsAsync(IServiceProvider services)
    {
        var messages = await services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.ItemsToScore).DrainAsync();
        return messages.SelectMany(m => m.Contains("\"items\"", StringComparison.Ordinal)
            ? StageMessages.Read<ScoreItemsMessage>(m).Items
            : [StageMessages.Read<ScoreItemMessage>(m).Item]).ToList();
    }

    /// <summary>The model is a seam here: these tests are about what reaches it, not what it says.</summary>
    private static ISentimentScorer Scorer()
    {
        var scorer = new Mock<ISentimentScorer>();
        scorer.Setup(s => s.Score(It.IsAny<string>())).Returns(new SentimentScore(0.9, "stub", "zh"));
        scorer.Setup(s => s.ScoreBatch(It.IsAny<IReadOnlyList<string>>()))
            .Returns((IReadOnlyList<string> texts) => texts.Select(_ => new SentimentScore(0.9, "stub", "zh")).ToList());
        scorer.Setup(s => s.ModelVersion).Returns("stub");
        return scorer.Object;
    }

    private static async Task<List<ScoringResult>> ScoreQueuedAsync(IServiceProvider services)
    {
        var results = new List<ScoringResult>();
        var queue = services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.ItemsToScore);
        foreach (var message in await queue.DrainAsync())
        {
            results.AddRange(await services.GetRequiredService<ItemScoringHandler>().HandleAsync(message, CancellationToken.None));
        }

        return results;
    }

    private static Task<List<TableEntity>> LedgerAsync(IServiceProvider services, RegisteredSource source) =>
        services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.SeenItems).InPartitionAsync(source.Definition.Id);

    private async Task<ServiceProvider> ServicesAsync(byte[] body, string contentType)
    {
        var publisher = new RecordingHandler((_, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
            response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            return response;
        });
        var services = await TestServices.BuildAsync(
            azurite.ConnectionString,
            configure: s =>
            {
                s.AddHttpClient(HttpFetcher.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => publisher);
                s.AddSingleton(Scorer());
            });
        await TestServices.ImportEnterprisesAsync(services, $"{Uscc},华夏示例食品有限公司,Huaxia Example Foods,华夏示例食品");
        await services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.ItemsToScore).ClearMessagesAsync();
        return services;
    }
}
