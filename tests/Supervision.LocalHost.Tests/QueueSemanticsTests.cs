using System.Text.Json;
using Azure.Data.Tables;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Infrastructure.Hosting;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests;

/// <summary>The local host's queue listeners behave as the Functions host's do.</summary>
public sealed class QueueSemanticsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Message_DeliveredTwice_HasOneEffect()
    {
        await using var host = await TestLocalHost.StartAsync(azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: false);
        var message = JsonSerializer.Serialize(
            new ScoreItemMessage(
                new NormalisedItem(
                    "twice-1",
                    "test-source",
                    "北辰范例科技荣获全国质量奖",
                    string.Empty,
                    null,
                    DateTimeOffset.UtcNow,
                    "raw",
                    DateTimeOffset.UtcNow),
                0.8),
            MessageJson.Options);
        var queue = host.Storage.Queue(StorageNames.Queues.ItemsToScore);

        await queue.SendMessageAsync(message);
        await queue.SendMessageAsync(message);

        await Eventually.GetAsync(
            async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount,
            n => n == 0,
            what: "the queue to drain");
        var signals = await host.Storage.Table(StorageNames.Tables.Signals).InPartitionAsync("91110000D3M000004N");

        Assert.Equal("twice-1", Assert.Single(signals).RowKey);
    }

    [Fact]
    public async Task Message_FailingMaxDequeueCountTimes_LandsInPoisonQueueIntactWithReason()
    {
        var queues = new QueueSettings(
            MaxDequeueCount: 3,
            VisibilityTimeout: TimeSpan.Zero,
            BatchSize: 16,
            MaxPollingInterval: TimeSpan.FromMilliseconds(500));
        await using var host = await TestLocalHost.StartAsync(
            azurite.ConnectionString,
            TestLocalHost.NewTaskHub(),
            withDemoFeeds: false,
            queues);
        const string poisonous = "{ \"item\": this is not JSON, 毒 }";
        var sent = await host.Storage.Queue(StorageNames.Queues.ItemsToScore).SendMessageAsync(poisonous);

        var poison = host.Storage.Queue(StorageNames.Queues.PoisonOf(StorageNames.Queues.ItemsToScore));
        var landed = await Eventually.GetAsync(
            async () => (await poison.PeekMessagesAsync(10)).Value,
            m => m.Length > 0,
            what: "the message in the poison queue");

        Assert.Equal(poisonous, Assert.Single(landed).Body.ToString());
        var failure = await host.Storage.Table(StorageNames.Tables.MessageFailures)
            .GetEntityAsync<TableEntity>(StorageNames.Queues.ItemsToScore, sent.Value.MessageId);
        Assert.True(failure.Value.GetBoolean("Poisoned"));
        Assert.Equal(3, failure.Value.GetInt64("DequeueCount"));
        Assert.Contains("JsonException", failure.Value.GetString("Error"), StringComparison.Ordinal);
        Assert.Equal(0, (await host.Storage.Queue(StorageNames.Queues.ItemsToScore).GetPropertiesAsync()).Value.ApproximateMessagesCount);

        var (status, listed) = await host.SendAsync(
            HttpMethod.Get,
            "api/operator/failures",
            TestLocalHost.RegulatorToken);
        Assert.Equal(200, status);
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), f => f.GetProperty("messageId").GetString() == sent.Value.MessageId);

        var (healthStatus, health) = await host.SendAsync(HttpMethod.Get, "api/health", TestLocalHost.RegulatorToken);
        Assert.Equal(200, healthStatus);
        Assert.Equal(1, health.GetProperty("queues").GetProperty("items-to-score-poison").GetInt32());
        Assert.StartsWith("polarity-en-", health.GetProperty("model").GetString(), StringComparison.Ordinal);
    }
}
