using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Infrastructure.Scoring;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// An items-to-score message that storage acknowledged and then lost (Azurite killed before it
/// saved) is sent again from the outbox; one that reached the scorer is not.
/// </summary>
public sealed class ScoringOutboxTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Source = "outbox-source";

    [Fact]
    public async Task SweepAsync_MessageLostAfterItWasSent_SendsItAgainUntilDelivered()
    {
        await using var services = await ServicesAsync();
        var queue = services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.ItemsToScore);
        var outbox = services.GetRequiredService<ScoringOutbox>();
        var sweep = services.GetRequiredService<UndeliveredItemsSweep>();

        // Intake wrote the row and "sent" the message, which storage then lost: nothing is on the queue.
        await outbox.RecordPendingAsync([Message("lost-1")], CancellationToken.None);
        await sweep.SweepAsync(CancellationToken.None);

        var resent = Assert.Single(await queue.DrainAsync());
        Assert.Equal("lost-1", StageMessages.Read<ScoreItemMessage>(resent).Item.ItemId);

        await outbox.MarkDeliveredAsync(Source, ["lost-1"], CancellationToken.None);
        await sweep.SweepAsync(CancellationToken.None);

        Assert.Empty(await queue.DrainAsync());
        Assert.Empty(await RowsAsync(services));
    }

    [Fact]
    public async Task HandleAsync_MessageReachesTheScorer_IsNeverSentAgain()
    {
        await using var services = await ServicesAsync();
        var queue = services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.ItemsToScore);
        var message = Message("delivered-1");
        await services.GetRequiredService<ScoringOutbox>().RecordPendingAsync([message], CancellationToken.None);

        await services.GetRequiredService<ItemScoringHandler>()
            .HandleAsync(JsonSerializer.Serialize(message, MessageJson.Options), CancellationToken.None);
        await services.GetRequiredService<UndeliveredItemsSweep>().SweepAsync(CancellationToken.None);

        Assert.Empty(await queue.DrainAsync());
        Assert.DoesNotContain(await RowsAsync(services), r => r.RowKey == "delivered-1");
    }

    private async Task<ServiceProvider> ServicesAsync()
    {
        // Zero: every undelivered row is due at once, so the test needs no clock.
        var services = await TestServices.BuildAsync(
            azurite.ConnectionString,
            new Dictionary<string, string?> { ["Scoring:ResendUndeliveredAfter"] = "00:00:00", ["Scoring:Outbox"] = "true" });
        await services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.ItemsToScore).ClearMessagesAsync();
        return services;
    }

    private static ScoreItemMessage Message(string itemId) => new(
        new NormalisedItem(
            itemId, Source, "某地一家企业被投诉拖欠货款", string.Empty, null, DateTimeOffset.UtcNow, "raw", DateTimeOffset.UtcNow),
        0.8);

    private static async Task<List<TableEntity>> RowsAsync(IServiceProvider services)
    {
        var rows = new List<TableEntity>();
        var table = services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.ScoringOutbox);
        await foreach (var row in table.QueryAsync<TableEntity>(r => r.PartitionKey == Source))
        {
            rows.Add(row);
        }

        return rows;
    }
}
