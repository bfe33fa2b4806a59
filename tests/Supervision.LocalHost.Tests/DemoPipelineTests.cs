using Azure.Data.Tables;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Storage;
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
        await Eventually.GetAsync(() => host.CaseStatusAsync(CaseId), s => s == "Pending", TimeSpan.FromSeconds(90), "the demo case to be pending");

        // Nobody else decides for a department, and nobody decides anonymously.
        Assert.Equal(401, (await host.DecideAsync(CaseId, "customs", "approve", token: null)).Status);
        Assert.Equal(403, (await host.DecideAsync(CaseId, "customs", "approve", TestLocalHost.Token("tax"))).Status);
        Assert.Equal(403, (await host.DecideAsync(CaseId, "customs", "approve", TestLocalHost.Token("customs", Roles.Operator))).Status);
        Assert.Equal(400, (await host.SendAsync(HttpMethod.Post, $"api/reviews/{CaseId}/departments/customs/decision", TestLocalHost.Token("customs"), "{\"verdict\":\"maybe\"}")).Status);

        foreach (var department in new[] { "customs", "tax", "procurement" })
        {
            var (status, _) = await Eventually.GetAsync(() => host.DecideAsync(CaseId, department, "approve", TestLocalHost.Token(department)), r => r.Status != 409, TimeSpan.FromSeconds(30), "the review to open");
            Assert.Equal(202, status);
        }

        var repeated = await host.DecideAsync(CaseId, "customs", "approve", TestLocalHost.Token("customs"));
        Assert.True(repeated.Status == 200 && repeated.Body.GetProperty("repeated").GetBoolean());
        Assert.Equal(409, (await host.DecideAsync(CaseId, "customs", "reject", TestLocalHost.Token("customs"))).Status);

        await Eventually.GetAsync(() => host.CaseStatusAsync(CaseId), s => s == "Closed", TimeSpan.FromSeconds(60), "the case to close");
        var measures = await Rows(host, StorageNames.Tables.Measures, DemoUscc);
        Assert.Equal(["CUSTOMS-AEO-REFUSED", "PROCUREMENT-BARRED", "TAX-GRADE-LOWERED"], measures.Select(m => m.RowKey.Split('|')[2]).Order(StringComparer.Ordinal));

        // The alert went through the queue to the signed webhook, which accepted it.
        var alerts = await Eventually.GetAsync(
            () => Rows(host, StorageNames.Tables.Alerts, DemoUscc),
            rows => rows.Any(r => r.GetString("Kind") == "MeasuresApplied" && r.GetBoolean("Delivered") == true),
            TimeSpan.FromSeconds(30), "the measures alert to be delivered");
        Assert.Contains(alerts, a => a.GetString("Kind") == "EnterpriseFlagged" && a.GetBoolean("Delivered") == true);

        // One trace follows the item that tipped the portrait: feed, scoring, the case, its alert.
        var flaggedAlert = telemetry.Spans.Single(s => s.OperationName == "DeliverAlert" && (string?)s.GetTagItem("supervision.alert") == $"{CaseId}:EnterpriseFlagged");
        var trace = telemetry.Spans.Where(s => s.TraceId == flaggedAlert.TraceId).Select(s => s.OperationName).ToHashSet();
        Assert.Superset(new HashSet<string> { "PullFeed", "IngestItem", "ScoreItem", "UpdatePortrait", "OpenCaseActivity", "DeliverAlert" }, trace);
        Assert.True(telemetry.Sum("supervision.items.ingested", "source", "demo-consumer-watch") >= 7);
        Assert.True(telemetry.Sum("supervision.enterprises.flagged") >= 1);

        var (portraitStatus, portrait) = await host.SendAsync(HttpMethod.Get, $"api/portraits/{DemoUscc}", TestLocalHost.Token("customs"));
        Assert.Equal(200, portraitStatus);
        Assert.Equal("D", portrait.GetProperty("portrait").GetProperty("grade").GetString());
        Assert.NotEmpty(portrait.GetProperty("portrait").GetProperty("contributions").EnumerateArray().Select(c => c.GetProperty("rawSha256").GetString()));
    }

    private static Task<List<TableEntity>> Rows(TestLocalHost host, string table, string partition) => host.Storage.Table(table).InPartitionAsync(partition);
}
