using System.Text.Json;
using Azure.Data.Tables;
using Supervision.Domain.Enterprises;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Hosting;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests;

/// <summary>The operators' actions on a real local host: replay once, confirm a mention, add an alias.</summary>
public sealed class OperatorActionsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Beichen = "91110000D3M000004N";
    private const string Huaxia = "91330100D3M0000018";

    private static readonly string Operator = TestLocalHost.RoleToken(Roles.Operator);

    [Fact]
    public async Task ReplayFailure_PoisonedMessageReplayedTwiceAtOnce_IsProcessedOnce()
    {
        using var telemetry = new TelemetryRecorder();
        var queues = new QueueSettings(
            MaxDequeueCount: 3, VisibilityTimeout: TimeSpan.Zero, BatchSize: 16, MaxPollingInterval: TimeSpan.FromMilliseconds(500));
        await using var host = await TestLocalHost.StartAsync(azurite.ConnectionString, TestLocalHost.NewTaskHub(), false, queues);

        // The signals table gone: the scorer fails on every try, and the message is poisoned.
        await host.Storage.Tables.DeleteTableAsync(StorageNames.Tables.Signals);
        var sent = await host.Storage.Queue(StorageNames.Queues.ItemsToScore)
            .SendMessageAsync(ScoreMessage("replay-1", "replay-source", "北辰范例科技荣获全国质量奖"));
        var failureId = $"{StorageNames.Queues.ItemsToScore}~{sent.Value.MessageId}";
        var listed = await Eventually.GetAsync(
            () => FailureAsync(host, failureId),
            f => f?.GetProperty("replayable").GetBoolean() == true,
            what: "the message to be poisoned");
        Assert.Equal(JsonValueKind.Null, listed!.Value.GetProperty("replay").ValueKind);
        await host.Storage.Tables.CreateTableIfNotExistsAsync(StorageNames.Tables.Signals);
        var replay = $"api/operator/failures/{failureId}/replay";

        // A send storage refuses (the queue gone) enqueued nothing: the claim is taken back, and a later call replays.
        await host.Storage.Queue(StorageNames.Queues.ItemsToScore).DeleteAsync();
        var refused = await host.SendAsync(HttpMethod.Post, replay, Operator);
        await host.Storage.Queue(StorageNames.Queues.ItemsToScore).CreateAsync();
        Assert.Equal(500, refused.Status);
        Assert.True((await FailureAsync(host, failureId))!.Value.GetProperty("replayable").GetBoolean());

        var both = await Task.WhenAll(host.SendAsync(HttpMethod.Post, replay, Operator), host.SendAsync(HttpMethod.Post, replay, Operator));

        Assert.Equal([200, 202], both.Select(r => r.Status).Order());
        var replayed = both.Select(r => r.Body.GetProperty("replay").GetProperty("messageId").GetString()).Distinct().ToList();
        Assert.NotNull(Assert.Single(replayed));
        await Eventually.GetAsync(
            () => host.Storage.Table(StorageNames.Tables.Signals).InPartitionAsync(Beichen),
            rows => rows.Any(r => r.RowKey == "replay-1"),
            what: "the replayed message to be scored");
        await Eventually.GetAsync(
            async () => (await host.Storage.Queue(StorageNames.Queues.ItemsToScore).GetPropertiesAsync()).Value.ApproximateMessagesCount,
            n => n == 0,
            what: "the queue to drain");
        var again = await host.SendAsync(HttpMethod.Post, replay, Operator);
        var after = await FailureAsync(host, failureId);

        Assert.Equal(1, telemetry.Sum("supervision.items.scored", "source", "replay-source"));
        Assert.Equal(200, again.Status);
        Assert.Equal(replayed[0], again.Body.GetProperty("replay").GetProperty("messageId").GetString());
        Assert.Equal("local-operator", after!.Value.GetProperty("replay").GetProperty("by").GetString());
        Assert.False(after.Value.GetProperty("replayable").GetBoolean());
        Assert.Single(await AuditAsync(host, "failure|" + failureId));
        Assert.Equal(404, (await host.SendAsync(HttpMethod.Post, "api/operator/failures/alerts~nothing/replay", Operator)).Status);
    }

    [Fact]
    public async Task LinkUnlinked_ConfirmedMention_BecomesTheEnterprisesSignalOnce_AndRefusesAnotherEnterprise()
    {
        await using var host = await TestLocalHost.StartAsync(azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: false);
        await host.Storage.Queue(StorageNames.Queues.ItemsToScore)
            .SendMessageAsync(ScoreMessage("unlinked-1", "link-source", "某地一家科技企业因虚假宣传被立案调查"));
        await Eventually.GetAsync(
            () => MentionAsync(host, "unlinked-1"), m => m is not null, what: "the mention to be kept unlinked");
        var link = "api/operator/unlinked/unlinked-1/link";

        var first = await host.SendAsync(HttpMethod.Post, link, Operator, $$"""{"uscc":"{{Beichen}}"}""");
        var repeat = await host.SendAsync(HttpMethod.Post, link, Operator, $$"""{"uscc":"{{Beichen}}"}""");
        var elsewhere = await host.SendAsync(HttpMethod.Post, link, Operator, $$"""{"uscc":"{{Huaxia}}"}""");
        var invalid = await host.SendAsync(HttpMethod.Post, link, Operator, """{"uscc":"12345"}""");
        var unregistered = await host.SendAsync(
            HttpMethod.Post, link, Operator, $$"""{"uscc":"{{Uscc.WithCheckCharacter("91110000D3M00009A")}}"}""");
        var missing = await host.SendAsync(HttpMethod.Post, "api/operator/unlinked/no-such-item/link", Operator, "{}");

        Assert.Equal(202, first.Status);
        var confirmed = first.Body.GetProperty("confirmed");
        Assert.Equal(Beichen, confirmed.GetProperty("uscc").GetString());
        Assert.Equal("local-operator", confirmed.GetProperty("by").GetString());
        Assert.Equal(200, repeat.Status);
        var confirmedAgain = repeat.Body.GetProperty("confirmed");
        Assert.Equal(confirmed.GetProperty("at").GetDateTimeOffset(), confirmedAgain.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(409, elsewhere.Status);
        Assert.Contains(Beichen, elsewhere.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, invalid.Status);
        Assert.Equal(404, unregistered.Status);
        Assert.Contains("未登记", unregistered.Body.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(404, missing.Status);

        // The linked path: the ledger, the signal, and the portrait reassessed with it.
        var signals = await host.Storage.Table(StorageNames.Tables.Signals).InPartitionAsync(Beichen);
        var signal = Assert.Single(signals, s => s.RowKey == "unlinked-1");
        Assert.Contains("confirmed by operator local-operator", signal.GetString("Json"), StringComparison.Ordinal);
        var (_, portrait) = await Eventually.GetAsync(
            () => host.SendAsync(HttpMethod.Get, $"api/portraits/{Beichen}", TestLocalHost.RegulatorToken),
            p => p.Status == 200 && p.Body.GetProperty("portrait").GetProperty("contributions").EnumerateArray()
                .Any(c => c.GetProperty("itemId").GetString() == "unlinked-1"),
            what: "the portrait to count the linked mention");
        Assert.Equal(Beichen, portrait.GetProperty("portrait").GetProperty("uscc").GetString());
        Assert.Equal(Beichen, (await MentionAsync(host, "unlinked-1"))!.Value.GetProperty("confirmed").GetProperty("uscc").GetString());
        Assert.Single(await AuditAsync(host, "unlinked|unlinked-1"));
    }

    [Fact]
    public async Task AddRegistryAlias_AddsOnceAndLinksByIt_RefusingBranchesSubsidiariesAndOthersNames()
    {
        await using var host = await TestLocalHost.StartAsync(azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: false);
        var aliases = $"api/operator/registry/{Beichen}/aliases";
        Task<(int Status, JsonElement Body)> Add(string alias, string path) =>
            host.SendAsync(HttpMethod.Post, path, Operator, JsonSerializer.Serialize(new { alias }));

        var added = await Add("北辰云图", aliases);
        var repeat = await Add("北辰云图", aliases);
        var branch = await Add("北辰范例科技有限公司上海分公司", aliases);
        var subsidiary = await Add("北辰范例科技（中国）网络技术有限公司", aliases);
        var others = await Add("华夏示例食品", aliases);
        var unregistered = await Add("北辰云图", $"api/operator/registry/{Uscc.WithCheckCharacter("91110000D3M00009A")}/aliases");
        var empty = await host.SendAsync(HttpMethod.Post, aliases, Operator, "{}");

        Assert.Equal(201, added.Status);
        Assert.Equal("local-operator", added.Body.GetProperty("addedBy").GetString());
        Assert.Equal(200, repeat.Status);
        Assert.Equal(added.Body.GetProperty("addedAt").GetDateTimeOffset(), repeat.Body.GetProperty("addedAt").GetDateTimeOffset());
        Assert.Single(repeat.Body.GetProperty("addedAliases").EnumerateArray());
        Assert.Equal(409, branch.Status);
        Assert.Contains("分公司", branch.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(409, subsidiary.Status);
        Assert.Contains("subsidiary", subsidiary.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(409, others.Status);
        Assert.Contains(Huaxia, others.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(404, unregistered.Status);
        Assert.Equal(400, empty.Status);
        Assert.Single(await AuditAsync(host, "registry|" + Beichen));

        // The linker takes the alias: a mention naming only it is linked to the enterprise.
        await host.Storage.Queue(StorageNames.Queues.ItemsToScore).SendMessageAsync(ScoreMessage("alias-1", "alias-source", "北辰云图发布新一代产品"));
        await Eventually.GetAsync(
            () => host.Storage.Table(StorageNames.Tables.Signals).InPartitionAsync(Beichen),
            rows => rows.Any(r => r.RowKey == "alias-1"),
            what: "the mention naming the alias to be linked");
    }

    [Fact]
    public async Task GetSourceHistory_MeasuredSource_HasOnePointAnHour_WithVolumeFreshnessAndTrust()
    {
        await using var host = await TestLocalHost.StartAsync(azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: true);
        const string history = "api/operator/sources/demo-market-news/history";

        // Listing the sources measures them, as the MeasureSources timer does; each measurement writes the hour's point.
        await Eventually.GetAsync(
            async () => (await host.SendAsync(HttpMethod.Get, "api/operator/sources?pageSize=200", Operator)).Body,
            body => body.GetProperty("items").EnumerateArray().Any(s =>
                s.GetProperty("definition").GetProperty("id").GetString() == "demo-market-news"
                && s.GetProperty("statistics").GetProperty("items").GetInt32() > 0),
            TimeSpan.FromSeconds(60),
            "the demo news source to deliver");
        await host.SendAsync(HttpMethod.Get, "api/operator/sources?pageSize=200", Operator);
        var (status, body) = await host.SendAsync(HttpMethod.Get, history, Operator);

        Assert.Equal(200, status);
        var points = body.GetProperty("points").EnumerateArray().ToList();
        var point = Assert.Single(points);
        Assert.True(point.GetProperty("items").GetInt64() > 0, point.ToString());
        Assert.Equal(TimeSpan.Zero, point.GetProperty("at").GetDateTimeOffset().Offset);
        Assert.True(point.GetProperty("at").GetDateTimeOffset() >= point.GetProperty("hour").GetDateTimeOffset());
        Assert.NotEqual(JsonValueKind.Null, point.GetProperty("lastPullAt").ValueKind);
        Assert.True(point.GetProperty("secondsSinceLastPull").GetDouble() >= 0);
        Assert.InRange(point.GetProperty("trust").GetDouble(), 0, 1);
        Assert.Equal(404, (await host.SendAsync(HttpMethod.Get, "api/operator/sources/no-such-source/history", Operator)).Status);
        Assert.Equal(400, (await host.SendAsync(HttpMethod.Get, history + "?hours=0", Operator)).Status);
    }

    private static string ScoreMessage(string itemId, string source, string title) => JsonSerializer.Serialize(
        new ScoreItemMessage(
            new NormalisedItem(itemId, source, title, string.Empty, null, DateTimeOffset.UtcNow, "raw", DateTimeOffset.UtcNow), 0.8),
        MessageJson.Options);

    private static async Task<JsonElement?> FailureAsync(TestLocalHost host, string failureId)
    {
        var (_, body) = await host.SendAsync(HttpMethod.Get, "api/operator/failures?pageSize=200", Operator);
        return body.GetProperty("items").EnumerateArray().Cast<JsonElement?>()
            .FirstOrDefault(f => f!.Value.GetProperty("failureId").GetString() == failureId);
    }

    private static async Task<JsonElement?> MentionAsync(TestLocalHost host, string id)
    {
        var (_, body) = await host.SendAsync(HttpMethod.Get, "api/operator/unlinked?pageSize=200", Operator);
        return body.GetProperty("items").EnumerateArray().Cast<JsonElement?>()
            .FirstOrDefault(m => m!.Value.GetProperty("id").GetString() == id);
    }

    private static async Task<List<TableEntity>> AuditAsync(TestLocalHost host, string subject) =>
        (await host.Storage.Table(StorageNames.Tables.Audit).InPartitionAsync(TableExtensions.SafeKey(subject)))
            .Where(r => r.RowKey.StartsWith("e-", StringComparison.Ordinal))
            .ToList();
}
