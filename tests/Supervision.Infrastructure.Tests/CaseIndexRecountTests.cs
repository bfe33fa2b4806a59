using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Paging;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// The case index and its counters under at-least-once delivery, on a real Azurite: every save
/// delivered twice, and crashes injected between two writes, must leave them equal to a full
/// recount from the case records.
/// </summary>
public sealed class CaseIndexRecountTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Opened = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Acceptance (issue 14): about 5 s on Azurite.</summary>
    [Fact]
    public async Task SaveAsync_EverySaveTwiceAndACrashBetweenEachPairOfWrites_IndexAndCountersEqualARecount()
    {
        var crash = new CrashBeforeWrite();
        await using var services = await ServicesAsync(crash);
        var store = services.GetRequiredService<CaseStore>();
        var statuses = new[] { CaseStatus.Pending, CaseStatus.MeasuresInForce, CaseStatus.Pending, CaseStatus.Closed };

        // Each case walks its statuses; each save may crash at its n-th write (n moving from case to
        // case and step to step, so every position in a save is hit), and is then delivered twice.
        // Every third case, the crashed save is not retried at all: the next status's save must heal it.
        for (var i = 0; i < 12; i++)
        {
            var record = Case(i);
            for (var step = 0; step < statuses.Length; step++)
            {
                var saved = record with { Status = statuses[step], Round = step >= 2 ? 2 : 1 };
                crash.Arm(1 + ((i * statuses.Length) + step) % 14);
                var crashed = await Record.ExceptionAsync(() => store.SaveAsync(saved, default));
                crash.Arm(0);
                if (crashed is not null && i % 3 == 2 && step < statuses.Length - 1)
                {
                    continue;
                }

                await store.SaveAsync(saved, default);
                await store.SaveAsync(saved, default);
            }
        }

        Assert.True(crash.Crashes >= 20, $"only {crash.Crashes} crashes were injected");
        var records = await AssertEqualsRecountAsync(services);
        Assert.Equal(
            records.Count(r => r.Status == CaseStatus.Pending),
            await store.CountAsync(new CaseFilter(CaseStatus.Pending), default));
    }

    [Fact]
    public async Task SaveAsync_ConcurrentSavesOfManyCases_CountersExact()
    {
        await using var services = await ServicesAsync();
        var store = services.GetRequiredService<CaseStore>();
        var cases = Enumerable.Range(100, 12).Select(Case).ToList();

        await Task.WhenAll(cases.Select(c => store.SaveAsync(c, default)));
        await Task.WhenAll(cases.Where((_, i) => i % 2 == 0).Select(c => store.SaveAsync(c with { Status = CaseStatus.Closed }, default)));

        await AssertEqualsRecountAsync(services);
        var customsPending = await store.CountAsync(new CaseFilter(CaseStatus.Pending, "customs"), default);
        var pending = await store.PageAsync(new CaseFilter(CaseStatus.Pending, "customs"), PageRequest.First(200), default);
        Assert.Equal(pending.Items.Count, customsPending);
    }

    [Fact]
    public async Task Migration_CasesAndClaimsInTheOldLayout_AreFoundBeforeAndMovedOnce()
    {
        await using var services = await ServicesAsync();
        var table = services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.Cases);
        var store = services.GetRequiredService<CaseStore>();
        const string uscc = "913301000000000077";
        var old = Case(200) with
        {
            CaseId = CaseOccurrences.CaseIdFor("JP-OLD", uscc, 1), MemorandumId = "JP-OLD", Uscc = uscc,
            Status = CaseStatus.Closed, ClosedAt = Opened.AddDays(3),
        };
        var claimedAt = Opened.AddDays(5);
        var secondId = CaseOccurrences.CaseIdFor(old.MemorandumId, old.Uscc, 2);
        await table.AddEntityAsync(new TableEntity("case", old.CaseId)
        {
            ["Json"] = System.Text.Json.JsonSerializer.Serialize(old, MessageJson.Options),
            ["Status"] = old.Status.ToString(),
        });
        await table.AddEntityAsync(new TableEntity("claim", secondId) { ["ClaimedAt"] = claimedAt });

        var before = await store.LatestOccurrenceAsync(old.MemorandumId, old.Uscc, default);
        var foundBefore = await store.GetAsync(old.CaseId, default);
        var migration = services.GetRequiredService<CaseLayoutMigration>();
        var moved = await migration.MigrateAsync(default);
        var movedAgain = await migration.MigrateAsync(default);

        Assert.Equal(new Occurrence(2, OccurrenceState.Opening, claimedAt), before);
        Assert.Equal(Json(old), Json(foundBefore));
        Assert.Equal((2, 0), (moved, movedAgain));
        Assert.Empty(await table.InPartitionAsync("case"));
        Assert.Empty(await table.InPartitionAsync("claim"));
        Assert.Equal(before, await store.LatestOccurrenceAsync(old.MemorandumId, old.Uscc, default));
        Assert.Equal(Json(old), Json(await store.GetAsync(old.CaseId, default)));
        var enterprisePage = await store.PageAsync(new CaseFilter(Uscc: uscc), PageRequest.First(10), default);
        Assert.Equal(Json(old), Json(Assert.Single(enterprisePage.Items)));
        Assert.False((await store.ClaimAsync(secondId, Opened, default)).Won);
        await AssertEqualsRecountAsync(services);
    }

    private async Task<ServiceProvider> ServicesAsync(CrashBeforeWrite? crash = null) =>
        await TestServices.BuildAsync(
            azurite.ConnectionString,
            configure: crash is null ? null : s => s.AddSingleton(PolicyStorage.With(azurite.ConnectionString, crash)));

    /// <summary>Two enterprises, two of three departments each, opened a minute apart.</summary>
    private static CaseRecord Case(int i)
    {
        string[] departments = ["customs", "tax", "procurement"];
        return new CaseRecord(
            string.Create(CultureInfo.InvariantCulture, $"JP-TEST-9133010000000000{i % 2}-{i + 2}"),
            string.Create(CultureInfo.InvariantCulture, $"9133010000000000{i % 2}"),
            "样本",
            "JP-TEST",
            MemorandumKind.Punishment,
            CreditGrade.D,
            40,
            [departments[i % 3], departments[(i + 1) % 3]],
            CaseStatus.Pending,
            Opened.AddMinutes(i),
            null);
    }

    /// <summary>Recounts the index from the case records and compares it, row by row and counter by counter.</summary>
    private static async Task<List<CaseRecord>> AssertEqualsRecountAsync(IServiceProvider services)
    {
        var table = services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.Cases);
        var records = new List<CaseRecord>();
        var index = new Dictionary<string, Dictionary<string, string?>>();
        var counters = new Dictionary<string, long>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            if (row.PartitionKey.StartsWith("case|", StringComparison.Ordinal))
            {
                if (row.RowKey == "record")
                {
                    records.Add(CaseStore.RecordOf(row));
                }
            }
            else if (row.RowKey == CaseIndex.CounterRow)
            {
                counters[row.PartitionKey] = row.GetInt64(CaseIndex.CountColumn) ?? 0;
            }
            else
            {
                Assert.False(row.PartitionKey is "case" or "claim", $"{row.PartitionKey}/{row.RowKey} was left in the old layout");
                var rows = index.TryGetValue(row.PartitionKey, out var known) ? known : index[row.PartitionKey] = [];
                rows[row.RowKey] = row.GetString("Json");
            }
        }

        var expected = records.SelectMany(CaseIndex.RowsFor)
            .GroupBy(r => r.PartitionKey)
            .ToDictionary(g => g.Key, g => g.ToDictionary(r => r.RowKey, r => (string?)r.GetString("Json")));
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), index.Keys.Order(StringComparer.Ordinal));
        Assert.All(expected, p => Assert.Equal(p.Value, index[p.Key]));
        Assert.All(counters, c => Assert.Equal(expected.GetValueOrDefault(c.Key)?.Count ?? 0, c.Value));
        Assert.All(expected, p => Assert.Equal(p.Value.Count, counters.GetValueOrDefault(p.Key)));
        return records;
    }

    private static string Json(CaseRecord? record) => System.Text.Json.JsonSerializer.Serialize(record, MessageJson.Options);
}
