using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Scoring;
using Supervision.Infrastructure.Storage;
using Supervision.LocalHost.Tooling;
using Supervision.Testing;
using Supervision.Trainer;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// A source's running counters against a full recount of its ledger, when every message of a
/// stream arrives twice and the process crashes between two writes.
/// </summary>
public sealed class SourceCountersTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Uscc = "91330100D3M0000018";

    private const string Story = "华夏示例食品有限公司因销售过期牛奶被市场监管局罚款二十万元，消费者投诉不断";

    private static readonly string[] Unlinked = ["某地餐馆后厨卫生堪忧", "本市今日天气晴好", "一家无名小店开业"];

    public enum Stage
    {
        Intake,
        Scoring,
        Feedback,
        Quarantine,
    }

    /// <summary>Where the crash falls: which stage, which of its writes, and whether storage applied that write.</summary>
    [Theory]
    [InlineData(Stage.Intake, 1, true)]
    [InlineData(Stage.Intake, 3, false)]
    [InlineData(Stage.Scoring, 2, true)]
    [InlineData(Stage.Scoring, 5, false)]
    [InlineData(Stage.Feedback, 1, true)]
    [InlineData(Stage.Quarantine, 2, false)]
    public async Task Counters_EveryMessageTwiceAndACrashBetweenWrites_EqualAFullRecount(Stage crashIn, int nthWrite, bool applied)
    {
        // An Azurite of its own: the story index is shared by all sources, and this stream's
        // duplicate counts must not depend on what other cases stored before it.
        await using var own = await AzuriteProcess.StartOnFreePortsAsync(ModelPaths.FindRepositoryRoot(), TextWriter.Null);
        var crash = new CrashOnWritePolicy();
        await using var services = await TestServices.BuildAsync(
            own.ConnectionString, configure: s => s.AddSingleton(PolicyStorage.With(own.ConnectionString, crash)));
        await TestServices.ImportEnterprisesAsync(services, $"{Uscc},华夏示例食品有限公司,Huaxia Example Foods,华夏示例食品");
        var storage = services.GetRequiredService<SupervisionStorage>();
        await storage.Queue(StorageNames.Queues.ItemsToScore).ClearMessagesAsync();
        var sourceId = $"counted-{Guid.NewGuid():N}"[..24];
        var definition = new SourceDefinition(sourceId, "counted", SourceKind.NewsFeed, SourceFormat.Feed, 0.7);
        var source = new RegisteredSource(definition, 0.7, null, null);
        var published = DateTimeOffset.UtcNow.AddHours(-3);
        ParsedItem[] items =
        [
            .. ItemScoringHandlerTests.Headlines.Select((h, i) =>
                new ParsedItem($"h{i}", h, string.Empty, null, published.AddMinutes(-i * 7))),
            new("story", Story, string.Empty, null, published),
            .. Unlinked.Select((t, i) => new ParsedItem($"u{i}", t, string.Empty, null, published.AddDays(-i))),
        ];
        // A later pull: the same story again, and an outlet's repost of it.
        ParsedItem[] later =
        [
            new("story-again", Story, string.Empty, null, published),
            new("story-repost", "转发：" + Story + "！", string.Empty, null, null),
        ];

        async Task DeliverTwiceAsync(Stage stage, Func<Task> handle)
        {
            if (stage == crashIn && !crash.Fired)
            {
                crash.Arm(nthWrite, applied);
            }

            for (var delivery = 0; delivery < 2; delivery++)
            {
                try
                {
                    await handle();
                }
                catch (Exception) when (crash.TakeCrash())
                {
                    await handle(); // the queue hands the message out again after the crash
                }
            }
        }

        var intake = services.GetRequiredService<ItemIntake>();
        await DeliverTwiceAsync(Stage.Intake, () => intake.AcceptAsync(source, items, new string('a', 64), CancellationToken.None));
        await DeliverTwiceAsync(Stage.Intake, () => intake.AcceptAsync(source, later, new string('b', 64), CancellationToken.None));

        var scoring = services.GetRequiredService<ItemScoringHandler>();
        var queue = storage.Queue(StorageNames.Queues.ItemsToScore);
        for (var messages = await queue.DrainAsync(); messages.Count > 0; messages = await queue.DrainAsync())
        {
            // An item that fails inside a group comes back as a message of its own: drained on the next round.
            foreach (var message in messages)
            {
                await DeliverTwiceAsync(Stage.Scoring, () => scoring.HandleAsync(message, CancellationToken.None));
            }
        }

        var itemIds = items.Select(p => NormalisedItem.IdentityFor(sourceId, p.PublisherId, p.Link, p.Title)).ToList();
        var feedback = services.GetRequiredService<SignalFeedbackHandler>();
        foreach (var verdict in new[]
        {
            new SignalFeedback("case-upheld", true, [new(sourceId, itemIds[0]), new(sourceId, itemIds[1])]),
            new SignalFeedback("case-rejected", false, [new(sourceId, itemIds[2])]),
        })
        {
            var message = JsonSerializer.Serialize(verdict, MessageJson.Options);
            await DeliverTwiceAsync(Stage.Feedback, () => feedback.HandleAsync(message, CancellationToken.None));
        }

        var quarantine = services.GetRequiredService<Quarantine>();
        foreach (var bytes in new[] { "<rss><channel>", "{\"items\": [" })
        {
            await DeliverTwiceAsync(Stage.Quarantine, () => quarantine.KeepAsync(
                sourceId, Encoding.UTF8.GetBytes(bytes), "malformed", CancellationToken.None));
        }

        var statistics = services.GetRequiredService<SourceStatisticsReader>();
        var counted = await statistics.MeasureAsync(sourceId, CancellationToken.None);
        var recounted = await statistics.RecountAsync(sourceId, CancellationToken.None);

        Assert.True(crash.Fired);
        Assert.Equal(recounted, counted);
        // And the recount is the stream's true record, not merely equal to the counters.
        Assert.Equal((items.Length + later.Length, 1, 1), (counted.Items, counted.ExactDuplicates, counted.NearDuplicates));
        Assert.Equal((7, 3), (counted.Linked, counted.Unlinked));
        Assert.Equal((2, 1, 2), (counted.Confirmed, counted.NotConfirmed, counted.Quarantined));
        Assert.InRange(counted.MedianDelaySeconds!.Value, 3 * 3600 * 0.95, 3.6 * 3600 * 1.05);
    }

    [Fact]
    public async Task Measure_LedgerFromBeforeCounters_CountsItOnceAndThenMaintainsIt()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var storage = services.GetRequiredService<SupervisionStorage>();
        var sourceId = $"legacy-{Guid.NewGuid():N}"[..24];
        var table = storage.Table(StorageNames.Tables.SeenItems);
        // Rows as the previous version wrote them: merged by key, no counters beside them.
        for (var i = 0; i < 60; i++)
        {
            await table.UpsertEntityAsync(new TableEntity(sourceId, $"{i:x32}")
            {
                ["ArrivedAt"] = DateTimeOffset.UtcNow,
                ["PublishedAt"] = DateTimeOffset.UtcNow.AddMinutes(-i),
                ["Duplicate"] = i % 10 == 0 ? nameof(DuplicateKind.Exact) : nameof(DuplicateKind.New),
                ["Linked"] = i % 2 == 0,
            });
        }

        await storage.Table(StorageNames.Tables.Quarantine).UpsertEntityAsync(new TableEntity(sourceId, new string('b', 64)));
        var statistics = services.GetRequiredService<SourceStatisticsReader>();
        var ledger = services.GetRequiredService<ItemLedger>();

        var first = await statistics.MeasureAsync(sourceId, CancellationToken.None);
        await ledger.MarkLinkedAsync(sourceId, $"{1:x32}", Uscc, CancellationToken.None);
        await ledger.MarkConfirmedAsync(sourceId, $"{3:x32}", true, "case-1", CancellationToken.None);
        var then = await statistics.MeasureAsync(sourceId, CancellationToken.None);

        Assert.Equal((60, 6, 30, 30, 1), (first.Items, first.ExactDuplicates, first.Linked, first.Unlinked, first.Quarantined));
        Assert.Equal((31, 29, 1), (then.Linked, then.Unlinked, then.Confirmed));
        Assert.Equal(await statistics.RecountAsync(sourceId, CancellationToken.None), then);
    }
}
