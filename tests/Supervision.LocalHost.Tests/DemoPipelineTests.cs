using Azure.Data.Tables;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Storage;
using Supervision.LocalHost.Demo;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests;

/// <summary>The walking skeleton, as the run command serves it: feeds to measures and alerts.</summary>
public sealed class DemoPipelineTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string DemoUscc = "91330100D3M0000018";
    private const string CaseId = "JP-DISHONEST-2016-" + DemoUscc;

    [Fact]
    public async Task Demo_FeedsFlagTheEnterprise_AndApprovalsApplyMeasuresAndAlert()
    {
        using var telemetry = new TelemetryRecorder();
        await using var host = await TestLocalHost.StartAsync(azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: true);

        // Timer → feed → raw archive → queue → score (trained model) → portrait D → review.
        await Eventually.GetAsync(
            () => host.CaseStatusAsync(CaseId), s => s == "Pending", TimeSpan.FromSeconds(90), "the demo case to be pending");

        // The banner tells a newcomer how to decide every case the demo opens: these are the ones.
        foreach (var demo in DemoCases.Expected)
        {
            var demoCase = ReviewNames.CaseIdFor(demo.MemorandumId, demo.Uscc);
            await Eventually.GetAsync(
                () => host.CaseStatusAsync(demoCase), s => s is not null, TimeSpan.FromSeconds(90), $"{demoCase} to open");
        }

        var (_, opened) = await host.SendAsync(HttpMethod.Get, "api/reviews?pageSize=200", TestLocalHost.RegulatorToken);
        var expected = DemoCases.Expected.Select(d => (string?)ReviewNames.CaseIdFor(d.MemorandumId, d.Uscc)).ToHashSet();
        Assert.All(opened.GetProperty("items").EnumerateArray(), c => Assert.Contains(c.GetProperty("caseId").GetString(), expected));

        // Nobody else decides for a department, and nobody decides anonymously.
        Assert.Equal(401, (await host.DecideAsync(CaseId, "customs", "approve", token: null)).Status);
        Assert.Equal(403, (await host.DecideAsync(CaseId, "customs", "approve", TestLocalHost.Token("tax"))).Status);
        Assert.Equal(403, (await host.DecideAsync(CaseId, "customs", "approve", TestLocalHost.RoleToken(Roles.Operator))).Status);
        var decision = $"api/reviews/{CaseId}/departments/customs/decision";
        var maybe = await host.SendAsync(HttpMethod.Post, decision, TestLocalHost.Token("customs"), "{\"verdict\":\"maybe\"}");
        Assert.Equal(400, maybe.Status);

        foreach (var department in new[] { "customs", "tax", "procurement" })
        {
            var (status, _) = await Eventually.GetAsync(
                () => host.DecideAsync(CaseId, department, "approve", TestLocalHost.Token(department)),
                r => r.Status != 409,
                TimeSpan.FromSeconds(30),
                "the review to open");
            Assert.Equal(202, status);
        }

        var repeated = await host.DecideAsync(CaseId, "customs", "approve", TestLocalHost.Token("customs"));
        Assert.True(repeated.Status == 200 && repeated.Body.GetProperty("repeated").GetBoolean());
        Assert.Equal(409, (await host.DecideAsync(CaseId, "customs", "reject", TestLocalHost.Token("customs"))).Status);

        await Eventually.GetAsync(() => host.CaseStatusAsync(CaseId), s => s == "Closed", TimeSpan.FromSeconds(60), "the case to close");
        var measures = await Rows(host, StorageNames.Tables.Measures, DemoUscc);
        var codes = measures.Select(m => m.RowKey.Split('|')[2]).Order(StringComparer.Ordinal);
        Assert.Equal(["CUSTOMS-AEO-REFUSED", "PROCUREMENT-BARRED", "TAX-GRADE-LOWERED"], codes);

        // The alert went through the queue to the signed webhook, which accepted it.
        var alerts = await Eventually.GetAsync(
            () => Rows(host, StorageNames.Tables.Alerts, DemoUscc),
            rows => rows.Any(r => r.GetString("Kind") == "MeasuresApplied" && r.GetBoolean("Delivered") == true),
            TimeSpan.FromSeconds(30), "the measures alert to be delivered");
        Assert.Contains(alerts, a => a.GetString("Kind") == "EnterpriseFlagged" && a.GetBoolean("Delivered") == true);

        // One trace follows the item that tipped the portrait through every stage's queue: feed,
        // scoring, the portrait, the flag, the case, its alert.
        var flaggedAlert = telemetry.Spans.Single(
            s => s.OperationName == "DeliverAlert" && (string?)s.GetTagItem("supervision.alert") == $"{CaseId}:EnterpriseFlagged");
        var trace = telemetry.Spans.Where(s => s.TraceId == flaggedAlert.TraceId).Select(s => s.OperationName).ToHashSet();
        string[] stages =
        [
            "PullFeed", "IngestItem", "ScoreItem", "ReassessEnterprise", "UpdatePortrait", "OpenReview", "OpenCaseActivity", "DeliverAlert",
        ];
        Assert.Superset(stages.ToHashSet(), trace);
        Assert.True(telemetry.Sum("supervision.items.ingested", "source", "demo-consumer-watch") >= 7);
        Assert.True(telemetry.Sum("supervision.enterprises.flagged") >= 1);

        var (portraitStatus, portrait) = await host.SendAsync(HttpMethod.Get, $"api/portraits/{DemoUscc}", TestLocalHost.Token("customs"));
        Assert.Equal(200, portraitStatus);
        Assert.Equal("D", portrait.GetProperty("portrait").GetProperty("grade").GetString());
        var contributions = portrait.GetProperty("portrait").GetProperty("contributions").EnumerateArray();
        Assert.NotEmpty(contributions.Select(c => c.GetProperty("rawSha256").GetString()));

        // Every decision and state change is in an unbroken audit chain.
        var operatorToken = TestLocalHost.RegulatorToken;
        var (auditStatus, audit) = await host.SendAsync(HttpMethod.Get, "api/operator/audit/verify", operatorToken);
        Assert.Equal(200, auditStatus);
        Assert.True(audit.GetProperty("entries").GetInt64() >= 5);

        // Each source's measured record and earned trust are visible to operators. The closed
        // case's feedback reaches the item ledger by its own queue, so it may take a moment.
        var (sourcesStatus, sources) = await Eventually.GetAsync(
            () => host.SendAsync(HttpMethod.Get, "api/operator/sources", operatorToken),
            r => r.Status != 200 || r.Body.GetProperty("items").EnumerateArray()
                .Sum(s => s.GetProperty("statistics").GetProperty("confirmed").GetInt32()) >= 1,
            TimeSpan.FromSeconds(30),
            "the closed case's feedback to reach the ledger");
        Assert.Equal(200, sourcesStatus);
        var watch = sources.GetProperty("items").EnumerateArray()
            .Single(s => s.GetProperty("definition").GetProperty("id").GetString() == "demo-consumer-watch");
        Assert.True(watch.GetProperty("statistics").GetProperty("items").GetInt32() >= 7);
        Assert.True(watch.GetProperty("statistics").GetProperty("linked").GetInt32() >= 1);
        Assert.InRange(watch.GetProperty("trust").GetProperty("weight").GetDouble(), 0.01, 1);
        Assert.True(
            sources.GetProperty("items").EnumerateArray().Sum(s => s.GetProperty("statistics").GetProperty("confirmed").GetInt32()) >= 1,
            "the closed case's evidence counts as confirmed for its sources");

        // A credit bureau pushes a file into the inbox; the scan takes it, moves it out to taken/ by
        // the day it was delivered, and reports back beside it there.
        var inbox = host.Storage.Container(StorageNames.Containers.Inbox);
        var file = $"uscc,score,grade,as_of,model_version\n{DemoUscc},512,C,2026-11-27,demo-1\nnot-a-code,1,A,2026-11-27,demo-1\n";
        var original = inbox.GetBlobClient("demo-credit-bureau/2026-11-28.csv");
        var sent = await original.UploadAsync(BinaryData.FromString(file), overwrite: true);
        var day = sent.Value.LastModified.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var taken = host.Storage.Container(StorageNames.Containers.Taken);
        var report = await Eventually.GetAsync(
            async () =>
            {
                var errors = taken.GetBlobClient($"demo-credit-bureau/{day}/2026-11-28.csv.errors.json");
                return await errors.ExistsAsync() && !await original.ExistsAsync()
                    ? (await errors.DownloadContentAsync()).Value.Content.ToString()
                    : null;
            },
            r => r is not null, TimeSpan.FromSeconds(30), "the inbox report, and the file moved out of the inbox");
        Assert.True(await taken.GetBlobClient($"demo-credit-bureau/{day}/2026-11-28.csv").ExistsAsync(), "the file is kept in taken/");
        Assert.Contains("\"accepted\": 1", report, StringComparison.Ordinal);
        Assert.Contains("18 characters", report, StringComparison.Ordinal);
    }

    private static Task<List<TableEntity>> Rows(TestLocalHost host, string table, string partition) =>
        host.Storage.Table(table).InPartitionAsync(partition);
}
