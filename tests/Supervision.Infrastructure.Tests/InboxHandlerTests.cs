using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Portraits;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>The inbox on a real Azurite; what a file changes reaches the portraits stage by its queue, drained here by hand.</summary>
public sealed class InboxHandlerTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Scan_LowBureauScore_IsFusedIntoThePortraitWithItsFile()
    {
        await using var services = await ServicesAsync();
        var sourceId = await RegisterAsync(services, SourceFormat.CreditScores);
        const string uscc = "91310000D3M000002X";
        await UploadAsync(services, $"{sourceId}/low.csv", $"uscc,score,grade,as_of,model_version\n{uscc},0,E,2026-11-20,zm-2026.10\n");

        await services.GetRequiredService<InboxHandler>().ScanAsync(CancellationToken.None);
        await ReassessAsync(services);

        var portrait = await services.GetRequiredService<PortraitStore>().GetAsync(uscc, CancellationToken.None);
        Assert.NotNull(portrait);
        Assert.Equal(100, portrait.OpinionScore);
        Assert.True(portrait.Score < 100, $"{portrait.Score}");
        Assert.Equal(sourceId, Assert.Single(portrait.CreditContributions).SourceId);
        Assert.Equal(1, portrait.CreditRecordCount);
    }

    [Fact]
    public async Task Scan_CreditScoresCsv_TakesGoodRowsReportsBadOnesAndNeverTakesTheFileTwice()
    {
        await using var services = await ServicesAsync();
        var sourceId = await RegisterAsync(services, SourceFormat.CreditScores);
        await UploadAsync(services, $"{sourceId}/2026-11-28.csv", """
            uscc,score,grade,as_of,model_version
            91330100D3M0000018,612,B,2026-11-01,zm-2026.10
            91310000D3M000002X,abc,B,2026-11-01,zm-2026.10
            91110000D3M000004N,700,A,2026-11-01,zm-2026.10
            """);

        var first = await services.GetRequiredService<InboxHandler>().ScanAsync(CancellationToken.None);
        var second = await services.GetRequiredService<InboxHandler>().ScanAsync(CancellationToken.None);

        var taken = Assert.Single(first, r => r.BlobName.StartsWith(sourceId, StringComparison.Ordinal));
        Assert.Equal(("taken", 1, 2), (taken.Outcome, taken.Accepted, taken.Rejected));
        Assert.DoesNotContain(second, r => r.BlobName.StartsWith(sourceId, StringComparison.Ordinal));
        var report = await ReportAsync(services, $"{sourceId}/2026-11-28.csv");
        Assert.Equal(2, report.GetProperty("rejected").GetInt32());
        var reasons = report.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("reason").GetString()).ToList();
        Assert.Contains(reasons, r => r!.Contains("score 'abc'", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r!.Contains("not in the enterprise registry", StringComparison.Ordinal));
        var record = await services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.CreditRecords)
            .GetEntityAsync<TableEntity>("91330100D3M0000018", $"{sourceId}|2026-11-01");
        Assert.Contains("612", record.Value.GetString("Record"), StringComparison.Ordinal);
        var asked = (await Reassessments(services).DrainAsync()).Select(StageMessages.Read<ReassessEnterprise>).ToList();
        var cause = $"inbox:{report.GetProperty("sha256").GetString()}";
        Assert.Equal(("91330100D3M0000018", cause), (Assert.Single(asked).Uscc, asked[0].CausedBy));
    }

    [Fact]
    public async Task Scan_SameBytesUnderAnotherNameOrSentAgain_AreNotTakenAgainAndGetAReportNamingTheFirstFile()
    {
        await using var services = await ServicesAsync();
        var sourceId = await RegisterAsync(services, SourceFormat.AssociationRatings);
        const string json = """[{"uscc":"91330100D3M0000018","rating":"AA","industry":"food","valid_until":"2027-06-30"}]""";
        await UploadAsync(services, $"{sourceId}/a.json", json);
        await services.GetRequiredService<InboxHandler>().ScanAsync(CancellationToken.None);
        await UploadAsync(services, $"{sourceId}/b.json", json);

        var results = await services.GetRequiredService<InboxHandler>().ScanAsync(CancellationToken.None);
        await UploadAsync(services, $"{sourceId}/a.json", json);
        var again = await services.GetRequiredService<InboxHandler>().ScanAsync(CancellationToken.None);

        Assert.Equal("duplicate", Assert.Single(results, r => r.BlobName == $"{sourceId}/b.json").Outcome);
        var report = await ReportAsync(services, $"{sourceId}/b.json");
        Assert.Equal($"{sourceId}/a.json", report.GetProperty("duplicateOf").GetProperty("file").GetString());
        Assert.StartsWith($"重复文件：相同内容已作为 {sourceId}/a.json 接收", report.GetProperty("fileError").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, report.GetProperty("accepted").GetInt32());

        // Sent again under its first name: the first report stays, the repeat's is beside it.
        Assert.Equal("duplicate", Assert.Single(again, r => r.BlobName == $"{sourceId}/a.json").Outcome);
        Assert.Equal(1, (await ReportAsync(services, $"{sourceId}/a.json")).GetProperty("accepted").GetInt32());
        var reports = await ListAsync(Taken(services), $"{sourceId}/");
        var repeat = Assert.Single(reports, n => n.Contains("/a.json.repeat-", StringComparison.Ordinal));
        var content = await Taken(services).GetBlobClient(repeat).DownloadContentAsync();
        Assert.Contains($"\"file\": \"{sourceId}/a.json\"", content.Value.Content.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_ScoresOutsideTheSourcesScale_AreRefusedInTheReportNotClamped()
    {
        await using var services = await ServicesAsync();
        await ImportOwnEnterprisesAsync(services);
        var sourceId = await RegisterAsync(services, SourceFormat.CreditScores, d => d with { ScoreMinimum = 350, ScoreMaximum = 950 });
        await UploadAsync(services, $"{sourceId}/scale.csv", """
            uscc,score,grade,as_of,model_version
            91440300D3M000006W,990,A,2026-11-01,zm-2026.10
            91420100D3M000007D,100,E,2026-11-01,zm-2026.10
            91440300D3M000006W,612,B,2026-10-01,zm-2026.10
            """);

        var result = Assert.Single(await services.GetRequiredService<InboxHandler>().ScanAsync(CancellationToken.None));

        Assert.Equal(("taken", 1, 2), (result.Outcome, result.Accepted, result.Rejected));
        var errors = (await ReportAsync(services, $"{sourceId}/scale.csv")).GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("row").GetString(), e.GetProperty("reason").GetString()!)).ToList();
        Assert.Equal(["line 2", "line 3"], errors.Select(e => e.Item1));
        Assert.All(errors, e => Assert.Contains("超出本来源声明的范围 350–950", e.Item2, StringComparison.Ordinal));
        var records = services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.CreditRecords);
        Assert.False((await records.GetEntityIfExistsAsync<TableEntity>("91440300D3M000006W", $"{sourceId}|2026-11-01")).HasValue);
        Assert.False((await records.GetEntityIfExistsAsync<TableEntity>("91420100D3M000007D", $"{sourceId}|2026-11-01")).HasValue);
        Assert.True((await records.GetEntityIfExistsAsync<TableEntity>("91440300D3M000006W", $"{sourceId}|2026-10-01")).HasValue);
    }

    [Fact]
    public async Task Scan_ConflictingRowsAndExactRepeats_ConflictsRefusedAndRepeatsCountedOnce()
    {
        await using var services = await ServicesAsync();
        await ImportOwnEnterprisesAsync(services);
        var sourceId = await RegisterAsync(services, SourceFormat.CreditScores);
        await UploadAsync(services, $"{sourceId}/conflict.csv", """
            uscc,score,grade,as_of,model_version
            91440300D3M000006W,612,B,2026-11-01,zm-2026.10
            91440300D3M000006W,640,B,2026-11-01,zm-2026.10
            91420100D3M000007D,700,A,2026-11-01,zm-2026.10
            91420100D3M000007D,700,A,2026-11-01,zm-2026.10
            """);

        var result = Assert.Single(await services.GetRequiredService<InboxHandler>().ScanAsync(CancellationToken.None));

        Assert.Equal(("taken", 1, 2), (result.Outcome, result.Accepted, result.Rejected));
        var report = await ReportAsync(services, $"{sourceId}/conflict.csv");
        Assert.All(
            report.GetProperty("errors").EnumerateArray(),
            e => Assert.Contains("same USCC and as_of, different values", e.GetProperty("reason").GetString(), StringComparison.Ordinal));
        var repeat = Assert.Single(report.GetProperty("repeats").EnumerateArray());
        Assert.Equal(("line 5", "line 4"), (repeat.GetProperty("row").GetString(), repeat.GetProperty("sameAs").GetString()));
        var records = services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.CreditRecords);
        Assert.False((await records.GetEntityIfExistsAsync<TableEntity>("91440300D3M000006W", $"{sourceId}|2026-11-01")).HasValue);
        Assert.True((await records.GetEntityIfExistsAsync<TableEntity>("91420100D3M000007D", $"{sourceId}|2026-11-01")).HasValue);
    }

    [Fact]
    public async Task Scan_UnknownSource_IsQuarantinedWithAReport()
    {
        await using var services = await ServicesAsync();
        var unknown = $"nobody-{Guid.NewGuid():N}"[..20];
        await UploadAsync(services, $"{unknown}/scores.csv", "uscc,score\n");

        var results = await services.GetRequiredService<InboxHandler>().ScanAsync(CancellationToken.None);
        var result = Assert.Single(results, r => r.BlobName.StartsWith(unknown, StringComparison.Ordinal));

        Assert.Equal("rejected", result.Outcome);
        Assert.StartsWith("UnknownSource", result.Reason, StringComparison.Ordinal);
        var quarantined = await services.GetRequiredService<Quarantine>().ListAsync(1000, CancellationToken.None);
        Assert.Contains(quarantined, q => q.PartitionKey == unknown && q.Kind == "UnknownSource");
        var report = await ReportAsync(services, $"{unknown}/scores.csv");
        Assert.StartsWith("UnknownSource", report.GetProperty("fileError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_SeriousViolationListing_IsFusedAndOpensTheJointPunishmentWhateverTheGrade()
    {
        await using var services = await ServicesAsync();
        var sourceId = await RegisterAsync(services, SourceFormat.GovernmentRecords);
        const string uscc = "91330100D3M0000018";
        var durable = new RecordingDurableClient();
        await UploadAsync(services, $"{sourceId}/records.csv", string.Join('\n',
            "uscc,record_type,authority,reference,decided_on,severity,description,removed_on",
            $"{uscc},serious_violation,杭州市市场监督管理局,杭市监严〔2026〕12号,2026-11-02,serious,listed as seriously illegal and dishonest,",
            $"{uscc},administrative_penalty,杭州市市场监督管理局,杭市监罚〔2026〕88号,2026-10-15,ordinary,fined for selling expired milk powder,",
            $"{uscc},warning,杭州市市场监督管理局,X-1,2026-10-15,minor,not a record type,",
            $"{uscc},administrative_penalty,杭州市市场监督管理局,X-2,2026-10-15,ordinary,lifted before it was decided,2026-10-01") + "\n");

        await services.GetRequiredService<InboxHandler>().ScanAsync(CancellationToken.None);
        await ReassessAsync(services);
        var flags = await services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.EnterprisesFlagged).DrainAsync();
        foreach (var flag in flags)
        {
            await services.GetRequiredService<FlaggedEnterpriseHandler>().HandleAsync(flag, durable.Object, CancellationToken.None);
        }

        var report = await ReportAsync(services, $"{sourceId}/records.csv");
        Assert.Equal(2, report.GetProperty("accepted").GetInt32());
        Assert.Equal(2, report.GetProperty("rejected").GetInt32());
        var portrait = await services.GetRequiredService<PortraitStore>().GetAsync(uscc, CancellationToken.None);
        Assert.NotNull(portrait);
        var records = portrait.CreditContributions.Where(c => c.Kind == "GovernmentRecord").Select(c => c.Value);
        Assert.Equal(["administrative_penalty", "serious_violation"], records.Order(StringComparer.Ordinal));
        Assert.NotEqual(Supervision.Domain.Portraits.CreditGrade.D, portrait.Grade); // opinion alone keeps it above D
        Assert.Equal(1, durable.StartsOf("JP-DISHONEST-2016-" + uscc));
    }

    [Fact]
    public async Task Scan_TakenFile_IsMovedOutOfTheInboxWithItsReportBesideIt()
    {
        await using var services = await ServicesAsync();
        var sourceId = await RegisterAsync(services, SourceFormat.CreditScores);
        const string content = "uscc,score,grade,as_of,model_version\n91330100D3M0000018,640,B,2026-11-01,zm-2026.10\n";
        var day = await UploadAsync(services, $"{sourceId}/scores.csv", content);

        var results = await services.GetRequiredService<InboxHandler>().ScanAsync(CancellationToken.None);

        Assert.Equal("taken", Assert.Single(results, r => r.BlobName.StartsWith(sourceId, StringComparison.Ordinal)).Outcome);
        Assert.Empty(await ListAsync(Inbox(services), $"{sourceId}/"));
        Assert.Equal(
            [$"{sourceId}/{day}/scores.csv", $"{sourceId}/{day}/scores.csv{InboxHandler.ReportSuffix}"],
            await ListAsync(Taken(services), $"{sourceId}/"));
        var kept = await Taken(services).GetBlobClient($"{sourceId}/{day}/scores.csv").DownloadContentAsync();
        Assert.Equal(content, kept.Value.Content.ToString());
        var report = await ReportAsync(services, $"{sourceId}/scores.csv");
        Assert.Equal($"taken/{sourceId}/{day}/scores.csv", report.GetProperty("keptAs").GetString());
    }

    [Fact]
    public async Task Scan_StopBetweenCopyAndDelete_NextScanFinishesTheMoveAndCountsTheRowsOnce()
    {
        var stop = new StopAtInboxDelete();
        await using var services = await ServicesAsync(s => s.AddSingleton(_ => stop.Storage(azurite.ConnectionString)));
        var sourceId = await RegisterAsync(services, SourceFormat.CreditScores);
        var day = await UploadAsync(
            services, $"{sourceId}/once.csv", "uscc,score,grade,as_of,model_version\n91330100D3M0000018,580,C,2026-11-02,zm-2026.10\n");

        await Assert.ThrowsAsync<IOException>(() => services.GetRequiredService<InboxHandler>().ScanAsync(CancellationToken.None));
        var copied = await ListAsync(Taken(services), $"{sourceId}/");
        var stillInInbox = await ListAsync(Inbox(services), $"{sourceId}/");
        var second = await services.GetRequiredService<InboxHandler>().ScanAsync(CancellationToken.None);

        Assert.Contains($"{sourceId}/{day}/once.csv", copied);
        Assert.Equal([$"{sourceId}/once.csv"], stillInInbox);
        Assert.DoesNotContain(second, r => r.BlobName.StartsWith(sourceId, StringComparison.Ordinal));
        Assert.Empty(await ListAsync(Inbox(services), $"{sourceId}/"));
        Assert.Equal(2, (await ListAsync(Taken(services), $"{sourceId}/")).Count);
        var asked = (await Reassessments(services).DrainAsync()).Select(StageMessages.Read<ReassessEnterprise>).ToList();
        Assert.Equal("91330100D3M0000018", Assert.Single(asked).Uscc);
        var files = await services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.InboxFiles)
            .InPartitionAsync(sourceId);
        Assert.Equal(1, Assert.Single(files, f => f.ContainsKey("Accepted")).GetInt32("Accepted"));
    }

    private async Task<ServiceProvider> ServicesAsync(Action<IServiceCollection>? configure = null)
    {
        var services = await TestServices.BuildAsync(azurite.ConnectionString, configure: configure);
        await TestServices.ImportEnterprisesAsync(services, "91330100D3M0000018,华夏示例食品有限公司,,", "91310000D3M000002X,东方样本化工股份有限公司,,");
        await Reassessments(services).ClearMessagesAsync();
        await services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.EnterprisesFlagged).ClearMessagesAsync();
        return services;
    }

    /// <summary>Enterprises only the row-check tests store records for, so no other test's portrait sees them.</summary>
    private static Task ImportOwnEnterprisesAsync(IServiceProvider services) => TestServices.ImportEnterprisesAsync(
        services,
        "91330100D3M0000018,华夏示例食品有限公司,,",
        "91310000D3M000002X,东方样本化工股份有限公司,,",
        "91440300D3M000006W,南方样例电子有限公司,,",
        "91420100D3M000007D,中部样例物流有限公司,,");

    private static Azure.Storage.Queues.QueueClient Reassessments(IServiceProvider services) =>
        services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.EnterprisesToReassess);

    /// <summary>What the portraits stage does with the reassessments the scan asked for.</summary>
    private static async Task ReassessAsync(IServiceProvider services)
    {
        foreach (var message in await Reassessments(services).DrainAsync())
        {
            await services.GetRequiredService<PortraitReassessmentHandler>().HandleAsync(message, CancellationToken.None);
        }
    }

    private static async Task<string> RegisterAsync(
        IServiceProvider services, SourceFormat format, Func<SourceDefinition, SourceDefinition>? declare = null)
    {
        var id = $"push-{Guid.NewGuid():N}"[..20];
        var definition = new SourceDefinition(id, "test bureau", SourceKind.CreditBureau, format, 0.7);
        definition = declare?.Invoke(definition) ?? definition;
        await services.GetRequiredService<SourceRegistry>().SeedAsync([definition], CancellationToken.None);
        return id;
    }

    /// <summary>Delivers a file; returns the UTC day it was delivered, which names its folder in taken/.</summary>
    private static async Task<string> UploadAsync(IServiceProvider services, string name, string content)
    {
        var sent = await Inbox(services).GetBlobClient(name).UploadAsync(BinaryData.FromString(content), overwrite: true);
        return sent.Value.LastModified.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A file's report, beside the file in taken/ under the day it was delivered.</summary>
    private static async Task<JsonElement> ReportAsync(IServiceProvider services, string name)
    {
        var folder = name[..(name.LastIndexOf('/') + 1)];
        var file = name[folder.Length..];
        var reports = new List<string>();
        await foreach (var blob in Taken(services).GetBlobsAsync(BlobTraits.None, BlobStates.None, folder, CancellationToken.None))
        {
            if (blob.Name.EndsWith($"/{file}{InboxHandler.ReportSuffix}", StringComparison.Ordinal))
            {
                reports.Add(blob.Name);
            }
        }

        var content = await Taken(services).GetBlobClient(Assert.Single(reports)).DownloadContentAsync();
        return JsonDocument.Parse(content.Value.Content.ToString()).RootElement.Clone();
    }

    private static async Task<List<string>> ListAsync(Azure.Storage.Blobs.BlobContainerClient container, string prefix)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, CancellationToken.None))
        {
            names.Add(blob.Name);
        }

        return names;
    }

    private static Azure.Storage.Blobs.BlobContainerClient Taken(IServiceProvider services) =>
        services.GetRequiredService<SupervisionStorage>().Container(StorageNames.Containers.Taken);

    private static Azure.Storage.Blobs.BlobContainerClient Inbox(IServiceProvider services) =>
        services.GetRequiredService<SupervisionStorage>().Container(StorageNames.Containers.Inbox);
}
