using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Credit;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Domain.Portraits;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Portraits;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>The portraits stage on a real Azurite: what it saves, what it flags, and what it refuses.</summary>
public sealed class PortraitReassessmentHandlerTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Uscc = "91110000D3M000004N";
    private const string Dishonest = "JP-DISHONEST-2016";
    private static readonly DateTimeOffset Since = DateTimeOffset.UtcNow.AddHours(-1);

    [Fact]
    public async Task HandleAsync_AdverseSignals_SavesThePortraitWithItsCauseAndFlagsTheTriggeredMemorandum()
    {
        await using var services = await ServicesAsync();
        await StoreSignalsAsync(services, "save", 4, receivedAt: DateTimeOffset.UtcNow);

        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        var flags = await Handler(services).HandleAsync(Message(new ReassessEnterprise(Uscc, "save-3", traceParent)), default);

        var portrait = await services.GetRequiredService<PortraitStore>().GetAsync(Uscc, default);
        Assert.Equal((CreditGrade.D, 4), (portrait!.Grade, portrait.SignalCount));
        Assert.Contains(await services.GetRequiredService<PortraitStore>().HistoryAsync(Uscc, default), p => p.SignalCount == 4);
        var flag = Assert.Single(flags);
        Assert.Equal((Dishonest, "北辰范例科技有限公司", "save-3"), (flag.MemorandumId, flag.EnterpriseName, flag.CausedBy));
        Assert.Null(flag.EvidenceSince);
        Assert.Equal(JsonSerializer.Serialize(portrait, MessageJson.Options), JsonSerializer.Serialize(flag.Portrait, MessageJson.Options));
        var queued = await Queue(services, StorageNames.Queues.EnterprisesFlagged).DrainAsync();
        var sent = StageMessages.Read<EnterpriseFlagged>(Assert.Single(queued));
        Assert.Equal(flag.MemorandumId, sent.MemorandumId);
    }

    [Fact]
    public async Task HandleAsync_EvidenceSince_CountsOnlyEvidenceThatArrivedSinceSavesNothingAndFlagsOnlyThatMemorandum()
    {
        await using var services = await ServicesAsync();
        await StoreSignalsAsync(services, "before", 4, receivedAt: Since.AddDays(-1));
        await StoreSignalsAsync(services, "unrecorded", 1, receivedAt: null);
        await StoreSignalsAsync(services, "after", 4, receivedAt: Since.AddMinutes(1));
        var sourceId = await RegisterBureauAsync(services);
        var records = services.GetRequiredService<CreditRecordStore>();
        var asOf = DateOnly.FromDateTime(DateTime.UtcNow);
        var (good, bad) = (new CreditScoreRecord(Uscc, 950, "A", asOf, "m"), new CreditScoreRecord(Uscc, 10, "E", asOf, "m"));
        await records.UpsertAsync(Uscc, sourceId, "old", good, "file-old", Since.AddDays(-1), default);
        await records.UpsertAsync(Uscc, sourceId, "new", bad, "file-new", Since, default);

        var flags = await Handler(services).HandleAsync(Message(new ReassessEnterprise(Uscc, "after-3", null, Since, Dishonest)), default);

        var flag = Assert.Single(flags);
        Assert.Equal(("JP-DISHONEST-2016", Since), (flag.MemorandumId, flag.EvidenceSince));
        Assert.Equal(4, flag.Portrait.SignalCount);
        Assert.All(flag.Portrait.Contributions, c => Assert.StartsWith("after-", c.ItemId, StringComparison.Ordinal));
        Assert.Equal("file-new", Assert.Single(flag.Portrait.CreditContributions).FileSha256);
        // A view for the reviews stage, not the enterprise's portrait.
        Assert.Null(await services.GetRequiredService<PortraitStore>().GetAsync(Uscc, default));
    }

    [Fact]
    public async Task HandleAsync_EvidenceSinceWithNothingNew_FlagsNothing()
    {
        await using var services = await ServicesAsync();
        await StoreSignalsAsync(services, "stale", 4, receivedAt: Since.AddDays(-1));

        var flags = await Handler(services).HandleAsync(Message(new ReassessEnterprise(Uscc, "stale-0", null, Since, Dishonest)), default);

        Assert.Empty(flags);
        Assert.Empty(await Queue(services, StorageNames.Queues.EnterprisesFlagged).DrainAsync());
    }

    [Theory]
    [InlineData("{ not json", "not valid JSON")]
    [InlineData("null", "is empty")]
    [InlineData("""{"uscc":"","causedBy":"x"}""", "names no enterprise")]
    [InlineData("""{"uscc":"91110000D3M000004N","causedBy":"x","evidenceSince":"2026-11-01T00:00:00Z"}""", "without the other")]
    [InlineData("""{"uscc":"91110000D3M000004N","causedBy":"x","evidenceSince":"2026-11-01T00:00:00Z","memorandum":"JP-X"}""", "JP-X")]
    [InlineData("""{"uscc":"91440300D3M0000098","causedBy":"x"}""", "not a registered enterprise")]
    public async Task HandleAsync_MalformedMessageOrUnknownEnterprise_IsRefusedWithItsReason(string message, string reason)
    {
        await using var services = await ServicesAsync();

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => Handler(services).HandleAsync(message, default));

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    private static PortraitReassessmentHandler Handler(IServiceProvider services) =>
        services.GetRequiredService<PortraitReassessmentHandler>();

    private static string Message(ReassessEnterprise message) => JsonSerializer.Serialize(message, MessageJson.Options);

    private static async Task StoreSignalsAsync(IServiceProvider services, string prefix, int count, DateTimeOffset? receivedAt)
    {
        foreach (var i in Enumerable.Range(0, count))
        {
            await services.GetRequiredService<SignalStore>().UpsertAsync(
                new Signal(
                    Uscc, $"{prefix}-{i}", $"source-{prefix}-{i}", "北辰范例科技数据泄露被罚", 0.99, 1, DateTimeOffset.UtcNow, "raw", "stub", "named",
                    ReceivedAt: receivedAt),
                default);
        }
    }

    private static async Task<string> RegisterBureauAsync(IServiceProvider services)
    {
        var id = $"bureau-{Guid.NewGuid():N}"[..20];
        await services.GetRequiredService<SourceRegistry>().SeedAsync(
            [new SourceDefinition(id, "test bureau", SourceKind.CreditBureau, SourceFormat.CreditScores, 0.7)], default);
        return id;
    }

    private static Azure.Storage.Queues.QueueClient Queue(IServiceProvider services, string name) =>
        services.GetRequiredService<SupervisionStorage>().Queue(name);

    /// <summary>A fresh Azurite state per test: the class's tests share one account, so each clears what it reads.</summary>
    private async Task<ServiceProvider> ServicesAsync()
    {
        var services = await TestServices.BuildAsync(azurite.ConnectionString);
        await TestServices.ImportEnterprisesAsync(services, $"{Uscc},北辰范例科技有限公司,,");
        var storage = services.GetRequiredService<SupervisionStorage>();
        foreach (var table in new[] { StorageNames.Tables.Signals, StorageNames.Tables.CreditRecords, StorageNames.Tables.Portraits })
        {
            var rows = storage.Table(table).QueryAsync<Azure.Data.Tables.TableEntity>(e => e.PartitionKey == Uscc, select: ["RowKey"]);
            await foreach (var row in rows)
            {
                await storage.Table(table).DeleteEntityAsync(Uscc, row.RowKey);
            }
        }

        await Queue(services, StorageNames.Queues.EnterprisesFlagged).ClearMessagesAsync();
        return services;
    }
}
