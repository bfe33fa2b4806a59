using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Domain.Portraits;
using Supervision.Domain.Scoring;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Scoring;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>Scoring on a real Azurite with a model from our trainer; the Durable client is the seam.</summary>
public sealed class ItemScoringHandlerTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Uscc = "91330100D3M0000018";

    [Fact]
    public async Task HandleAsync_EveryMessageDeliveredTwice_StoresEachSignalOnceAndOpensOneReview()
    {
        // The scorer is a seam here: this test is about duplicate delivery, not model quality
        // (the end-to-end demo test runs the trained model).
        var scorer = new Mock<ISentimentScorer>();
        scorer.Setup(s => s.Score(It.IsAny<string>())).Returns((string text) => new SentimentScore(0.95, "stub", "zh", Category(text)));
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString, configure: s => s.AddSingleton(scorer.Object));
        await TestServices.ImportEnterprisesAsync(services, $"{Uscc},华夏示例食品有限公司,Huaxia Example Foods,华夏示例食品");
        var durable = DurableClient();
        var handler = services.GetRequiredService<ItemScoringHandler>();
        string[] headlines =
        [
            "华夏示例食品销售过期奶粉被罚款", "华夏示例食品速冻水饺检出非法添加剂，多人食物中毒", "华夏示例食品拖欠工人工资三个月",
            "海关查获华夏示例食品走私货物", "华夏示例食品虚开发票偷逃税款被立案调查", "华夏示例食品被列入经营异常名录",
        ];
        var messages = headlines.Select((h, i) => Message($"dup-{i}", h)).ToList();

        // Two deliveries of every message, the second batch racing the first.
        await Task.WhenAll(messages.Concat(messages).Select(m => handler.HandleAsync(m, durable.Object, CancellationToken.None)));

        var signals = await Rows(services, StorageNames.Tables.Signals, Uscc);
        Assert.Equal(headlines.Length, signals.Count);
        // One case per memorandum: the dishonesty memorandum (grade D) and, with tax findings
        // among the signals, the major-tax-violation one; each started once whatever the racing.
        foreach (var memorandum in new[] { "JP-DISHONEST-2016", "JP-MAJOR-TAX-2026" })
        {
            durable.Verify(
                d => d.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.Is<StartOrchestrationOptions?>(o => o!.InstanceId == $"{memorandum}-{Uscc}"), It.IsAny<CancellationToken>()),
                Times.Once);
        }

        durable.Verify(
            d => d.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()),
            Times.Exactly(2));
        var portrait = JsonSerializer.Deserialize<CreditPortrait>((await Rows(services, StorageNames.Tables.Portraits, Uscc)).Single().GetString("Json"), MessageJson.Options)!;
        Assert.Equal(CreditGrade.D, portrait.Grade);
        Assert.Equal(headlines.Length, portrait.SignalCount); // no stale portrait from a racing delivery
    }

    [Fact]
    public async Task HandleAsync_TextNamingNoEnterprise_IsKeptForAnOperatorAndScoresNothing()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var handler = services.GetRequiredService<ItemScoringHandler>();

        var result = Assert.Single(await handler.HandleAsync(Message("nobody-1", "某地餐馆后厨卫生堪忧"), DurableClient().Object, CancellationToken.None));

        Assert.Equal(ScoringOutcome.Unlinked, result.Outcome);
        var kept = Assert.Single(await Rows(services, StorageNames.Tables.UnlinkedMentions, "test-source"), r => r.RowKey == "nobody-1");
        Assert.Contains("no registered enterprise", kept.GetString("Reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_MalformedMessage_Throws()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var handler = services.GetRequiredService<ItemScoringHandler>();

        await Assert.ThrowsAnyAsync<JsonException>(() => handler.HandleAsync("{ not json", DurableClient().Object, CancellationToken.None));
    }

    [Fact]
    public async Task HandleAsync_GroupWithAFailingItem_ScoresTheRestAndSplitsTheFailureOff()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        await TestServices.ImportEnterprisesAsync(services, $"{Uscc},华夏示例食品有限公司,,");
        var queue = services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.ItemsToScore);
        await queue.ClearMessagesAsync();
        var good = new NormalisedItem("group-good", "test-source", "华夏示例食品获评诚信企业", string.Empty, null, DateTimeOffset.UtcNow, "raw", DateTimeOffset.UtcNow);
        var bad = good with { ItemId = string.Empty };
        var group = JsonSerializer.Serialize(new ScoreItemsMessage([good, bad], 0.9), MessageJson.Options);

        var results = await services.GetRequiredService<ItemScoringHandler>().HandleAsync(group, DurableClient().Object, CancellationToken.None);

        Assert.Equal("group-good", Assert.Single(results).ItemId);
        var split = Assert.Single((await queue.ReceiveMessagesAsync(32)).Value);
        var single = JsonSerializer.Deserialize<ScoreItemMessage>(split.Body.ToString(), MessageJson.Options)!;
        Assert.Equal(string.Empty, single.Item.ItemId);
    }

    private static string Message(string itemId, string title) => JsonSerializer.Serialize(
        new ScoreItemMessage(new NormalisedItem(itemId, "test-source", title, string.Empty, null, DateTimeOffset.UtcNow, "raw-" + itemId, DateTimeOffset.UtcNow), 0.9),
        MessageJson.Options);

    /// <summary>A Durable client that remembers which instances were scheduled, as the backend would.</summary>
    /// <summary>Each headline's category, as the model would give it (two are food safety, from the same source).</summary>
    private static RiskCategory Category(string text) => text switch
    {
        _ when text.Contains("奶粉", StringComparison.Ordinal) || text.Contains("水饺", StringComparison.Ordinal) => RiskCategory.FoodDrug,
        _ when text.Contains("工资", StringComparison.Ordinal) => RiskCategory.Labour,
        _ when text.Contains("走私", StringComparison.Ordinal) => RiskCategory.Customs,
        _ when text.Contains("发票", StringComparison.Ordinal) => RiskCategory.Tax,
        _ => RiskCategory.Litigation,
    };

    private static Mock<DurableTaskClient> DurableClient()
    {
        var scheduled = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        var client = new Mock<DurableTaskClient>("test") { CallBase = true };
        client.Setup(d => d.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, bool _, CancellationToken _) => scheduled.ContainsKey(id) ? new OrchestrationMetadata("JointReviewOrchestrator", id) : null);
        client.Setup(d => d.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((TaskName _, object? _, StartOrchestrationOptions? options, CancellationToken _) =>
                scheduled.TryAdd(options!.InstanceId!, true) ? options.InstanceId! : throw new InvalidOperationException("already exists"));
        return client;
    }

    private static Task<List<TableEntity>> Rows(IServiceProvider services, string table, string partition) =>
        services.GetRequiredService<SupervisionStorage>().Table(table).InPartitionAsync(partition);
}
