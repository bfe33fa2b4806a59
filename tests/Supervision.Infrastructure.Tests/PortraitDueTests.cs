using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Supervision.Domain.Credit;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Portraits;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>Grades that move with time: the due index the portraits stage keeps, and the daily timer that reads it.</summary>
public sealed class PortraitDueTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Uscc = "91110000D3M000004N";
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly RemovedOn = new(2026, 12, 20);

    [Fact]
    public async Task ReassessDue_OnlyAdverseRecordExpires_GradeMovesOnThatDayWithNoNewEvidence()
    {
        var clock = new FakeTimeProvider(Start);
        await using var services = await ServicesAsync(clock);
        await StorePenaltyAsync(services, RemovedOn);
        await HandleAsync(services, "record-arrived");
        var before = await Portrait(services);
        Assert.Equal(CreditGrade.B, before.Grade);
        Assert.Equal(new DateTimeOffset(2026, 12, 20, 0, 0, 0, TimeSpan.Zero).AddTicks(1), before.NextChangeAt);
        Assert.Contains(Uscc, await Index(services).OnDayAsync(RemovedOn, default));

        // The day before, nothing is due yet.
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 19, 0, 5, 0, TimeSpan.Zero));
        Assert.Equal(0, await Due(services).ReassessDueAsync(default));
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 20, 0, 5, 0, TimeSpan.Zero));
        Assert.Equal(1, await Due(services).ReassessDueAsync(default));
        var sent = await Queue(services).DrainAsync();
        var reassess = StageMessages.Read<ReassessEnterprise>(Assert.Single(sent));
        Assert.Equal((Uscc, "due:20261220"), (reassess.Uscc, reassess.CausedBy));
        await services.GetRequiredService<PortraitReassessmentHandler>().HandleAsync(Assert.Single(sent), default);

        var after = await Portrait(services);
        Assert.Equal(
            (CreditGrade.A, before.SignalCount, before.CreditRecordCount), (after.Grade, after.SignalCount, after.CreditRecordCount));
        Assert.Null(after.NextChangeAt);
        Assert.Empty(await DueRowsAsync(services));
        Assert.Equal(0, await Due(services).ReassessDueAsync(default));
    }

    [Fact]
    public async Task HandleAsync_SameReassessTwiceOrRecordRemovedEarlier_LeavesOneDueRowOnTheNewDay()
    {
        var clock = new FakeTimeProvider(Start);
        await using var services = await ServicesAsync(clock);
        await StorePenaltyAsync(services, RemovedOn);

        await HandleAsync(services, "record-arrived");
        clock.Advance(TimeSpan.FromMinutes(5));
        await HandleAsync(services, "record-arrived");

        Assert.Equal([("20261220", Uscc)], await DueRowsAsync(services));

        var earlier = new DateOnly(2026, 12, 10);
        await StorePenaltyAsync(services, earlier);
        await HandleAsync(services, "record-lifted");
        await HandleAsync(services, "record-lifted");

        Assert.Equal([("20261210", Uscc)], await DueRowsAsync(services));
    }

    private static PortraitDueIndex Index(IServiceProvider services) => services.GetRequiredService<PortraitDueIndex>();

    private static DuePortraitsHandler Due(IServiceProvider services) => services.GetRequiredService<DuePortraitsHandler>();

    private static async Task<CreditPortrait> Portrait(IServiceProvider services) =>
        (await services.GetRequiredService<PortraitStore>().GetAsync(Uscc, default))!;

    private static async Task HandleAsync(IServiceProvider services, string causedBy) =>
        await services.GetRequiredService<PortraitReassessmentHandler>().HandleAsync(
            JsonSerializer.Serialize(new ReassessEnterprise(Uscc, causedBy), MessageJson.Options), default);

    /// <summary>
    /// A serious administrative penalty, the enterprise's only adverse evidence, lifted by the
    /// authority on <paramref name="removedOn"/>.
    /// </summary>
    private static async Task StorePenaltyAsync(IServiceProvider services, DateOnly removedOn)
    {
        const string sourceId = "authority-test";
        await services.GetRequiredService<SourceRegistry>().SeedAsync(
            [new SourceDefinition(sourceId, "test authority", SourceKind.GovernmentRecord, SourceFormat.GovernmentRecords, 0.7)], default);
        var record = new GovernmentRecord(
            Uscc, GovernmentRecordType.AdministrativePenalty, "test authority", "P-1", new DateOnly(2026, 11, 2),
            MeasureSeverity.Serious, "fined", removedOn);
        await services.GetRequiredService<CreditRecordStore>().UpsertAsync(Uscc, sourceId, "P-1", record, "file", Start, default);
    }

    /// <summary>Every due row of the enterprise, whatever its day (a scan is fine in a test).</summary>
    private static async Task<List<(string Day, string Uscc)>> DueRowsAsync(IServiceProvider services)
    {
        var rows = new List<(string, string)>();
        var table = services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.PortraitsDue);
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.RowKey == Uscc, select: ["PartitionKey", "RowKey"]))
        {
            rows.Add((row.PartitionKey, row.RowKey));
        }

        return rows;
    }

    private static Azure.Storage.Queues.QueueClient Queue(IServiceProvider services) =>
        services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.EnterprisesToReassess);

    /// <summary>A fresh state per test: the class's tests share one account, so each clears what it reads.</summary>
    private async Task<ServiceProvider> ServicesAsync(TimeProvider clock)
    {
        var services = await TestServices.BuildAsync(azurite.ConnectionString, configure: s => s.AddSingleton(clock));
        await TestServices.ImportEnterprisesAsync(services, $"{Uscc},北辰范例科技有限公司,,");
        var storage = services.GetRequiredService<SupervisionStorage>();
        foreach (var name in new[] { StorageNames.Tables.Signals, StorageNames.Tables.CreditRecords, StorageNames.Tables.Portraits })
        {
            await foreach (var row in storage.Table(name).QueryAsync<TableEntity>(e => e.PartitionKey == Uscc, select: ["RowKey"]))
            {
                await storage.Table(name).DeleteEntityAsync(Uscc, row.RowKey);
            }
        }

        var due = storage.Table(StorageNames.Tables.PortraitsDue);
        await foreach (var row in due.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            await due.DeleteEntityAsync(row.PartitionKey, row.RowKey);
        }

        await Queue(services).ClearMessagesAsync();
        return services;
    }
}
