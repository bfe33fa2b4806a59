using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Domain.Scoring;
using Supervision.Infrastructure.Portraits;
using Supervision.Infrastructure.Scoring;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>Scoring on a real Azurite with a model from our trainer (or, where the test is not about the model, a stub).</summary>
public sealed class ItemScoringHandlerTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Uscc = "91330100D3M0000018";

    [Fact]
    public async Task HandleAsync_EveryMessageDeliveredTwice_StoresEachSignalOnceAndAsksForItsEnterprisesReassessment()
    {
        // The scorer is a seam here: this test is about duplicate delivery, not model quality
        // (the end-to-end demo test runs the trained model).
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString, configure: s => s.AddSingleton(AdverseScorer()));
        await TestServices.ImportEnterprisesAsync(services, $"{Uscc},华夏示例食品有限公司,Huaxia Example Foods,华夏示例食品");
        var reassess = services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.EnterprisesToReassess);
        await reassess.ClearMessagesAsync();
        var handler = services.GetRequiredService<ItemScoringHandler>();
        var receivedAt = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        var messages = Headlines.Select((h, i) => Message($"dup-{i}", h, receivedAt)).ToList();

        // Two deliveries of every message, the second batch racing the first.
        await Task.WhenAll(messages.Concat(messages).Select(m => handler.HandleAsync(m, CancellationToken.None)));

        var signals = (await services.GetRequiredService<SignalStore>().OfEnterpriseAsync(Uscc, CancellationToken.None)).ToList();
        Assert.Equal(Headlines.Length, signals.Count);
        Assert.All(signals, s => Assert.Equal(receivedAt, s.ReceivedAt));
        var asked = (await reassess.DrainAsync()).Select(StageMessages.Read<ReassessEnterprise>).ToList();
        Assert.All(asked, r => Assert.Equal((Uscc, null, null), (r.Uscc, r.EvidenceSince, r.Memorandum)));
        Assert.Equal(messages.Count * 2, asked.Count);
        var causes = asked.Select(r => r.CausedBy).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(signals.Select(s => s.ItemId).Order(StringComparer.Ordinal), causes);

        // Portraits are the next stage's.
        Assert.Null(await services.GetRequiredService<PortraitStore>().GetAsync(Uscc, CancellationToken.None));
    }

    [Fact]
    public async Task HandleAsync_TextNamingNoEnterprise_IsKeptForAnOperatorAndScoresNothing()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var handler = services.GetRequiredService<ItemScoringHandler>();

        var result = Assert.Single(await handler.HandleAsync(Message("nobody-1", "某地餐馆后厨卫生堪忧"), CancellationToken.None));

        Assert.Equal(ScoringOutcome.Unlinked, result.Outcome);
        var mentions = await services.GetRequiredService<UnlinkedMentionStore>().ListAsync(1000, CancellationToken.None);
        var kept = Assert.Single(mentions, r => r.ItemId == "nobody-1");
        Assert.Equal("test-source", kept.Source);
        Assert.Contains("no registered enterprise", kept.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_MalformedMessage_Throws()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var handler = services.GetRequiredService<ItemScoringHandler>();

        await Assert.ThrowsAnyAsync<JsonException>(() => handler.HandleAsync("{ not json", CancellationToken.None));
    }

    [Fact]
    public async Task HandleAsync_GroupWithAFailingItem_ScoresTheRestAndSplitsTheFailureOff()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        await TestServices.ImportEnterprisesAsync(services, $"{Uscc},华夏示例食品有限公司,,");
        var queue = services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.ItemsToScore);
        await queue.ClearMessagesAsync();
        var good = new NormalisedItem(
            "group-good", "test-source", "华夏示例食品获评诚信企业", string.Empty, null, DateTimeOffset.UtcNow, "raw", DateTimeOffset.UtcNow);
        var bad = good with { ItemId = string.Empty };
        var group = JsonSerializer.Serialize(new ScoreItemsMessage([good, bad], 0.9), MessageJson.Options);

        var results = await services.GetRequiredService<ItemScoringHandler>().HandleAsync(group, CancellationToken.None);

        Assert.Equal("group-good", Assert.Single(results).ItemId);
        var split = Assert.Single((await queue.ReceiveMessagesAsync(32)).Value);
        var single = JsonSerializer.Deserialize<ScoreItemMessage>(split.Body.ToString(), MessageJson.Options)!;
        Assert.Equal(string.Empty, single.Item.ItemId);
    }

    /// <summary>Six adverse headlines about one enterprise, two of them about tax or customs.</summary>
    internal static readonly string[] Headlines =
    [
        "华夏示例食品销售过期奶粉被罚款", "华夏示例食品速冻水饺检出非法添加剂，多人食物中毒", "华夏示例食品拖欠工人工资三个月",
        "海关查获华夏示例食品走私货物", "华夏示例食品虚开发票偷逃税款被立案调查", "华夏示例食品被列入经营异常名录",
    ];

    internal static string Message(string itemId, string title, DateTimeOffset? receivedAt = null) => JsonSerializer.Serialize(
        new ScoreItemMessage(
            new NormalisedItem(
                itemId, "test-source", title, string.Empty, null, DateTimeOffset.UtcNow, "raw-" + itemId,
                receivedAt ?? DateTimeOffset.UtcNow),
            0.9),
        MessageJson.Options);

    /// <summary>A scorer that finds every text adverse, in the category the model would give it.</summary>
    internal static ISentimentScorer AdverseScorer()
    {
        var scorer = new Mock<ISentimentScorer>();
        scorer.Setup(s => s.Score(It.IsAny<string>())).Returns((string text) => new SentimentScore(0.95, "stub", "zh", Category(text)));
        scorer.Setup(s => s.ModelVersion).Returns("stub");
        return scorer.Object;
    }

    /// <summary>Each headline's category, as the model would give it (two are food safety, from the same source).</summary>
    private static RiskCategory Category(string text) => text switch
    {
        _ when text.Contains("奶粉", StringComparison.Ordinal) || text.Contains("水饺", StringComparison.Ordinal) => RiskCategory.FoodDrug,
        _ when text.Contains("工资", StringComparison.Ordinal) => RiskCategory.Labour,
        _ when text.Contains("走私", StringComparison.Ordinal) => RiskCategory.Customs,
        _ when text.Contains("发票", StringComparison.Ordinal) => RiskCategory.Tax,
        _ => RiskCategory.Litigation,
    };
}
