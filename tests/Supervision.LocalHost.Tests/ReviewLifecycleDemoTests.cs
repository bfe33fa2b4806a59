using Azure.Data.Tables;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests;

/// <summary>
/// The whole life of joint reviews on the local host, with demonstration timings: a D-grade
/// enterprise reviewed by three departments, one of which stays silent and is reminded,
/// escalated to its supervisor and recorded overdue; the others' measures applied, reported,
/// announced to the enterprise and lifted when they end; an A-grade enterprise down the
/// incentive path; and an audit whose every chain verifies.
/// </summary>
public sealed class ReviewLifecycleDemoTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Huaxia = "91330100D3M0000018";
    private const string Beichen = "91110000D3M000004N";
    private const string PunishmentCase = "JP-DISHONEST-2016-" + Huaxia;
    private const string IncentiveCase = "JI-TRUSTWORTHY-2016-" + Beichen;

    [Fact]
    public async Task Demo_DeadlinePassesForOneDepartment_MeasuresApplyAndLift_IncentiveRuns_AuditVerifies()
    {
        await using var host = await TestLocalHost.StartAsync(
            azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: true,
            overrides: new Dictionary<string, string?> { ["Reviews:DecisionWindow"] = "00:00:20" });

        await Eventually.GetAsync(
            () => host.CaseStatusAsync(PunishmentCase),
            s => s == "Pending",
            TimeSpan.FromSeconds(90),
            "the punishment case to be pending");
        foreach (var department in new[] { "customs", "tax" })
        {
            var (status, _) = await Eventually.GetAsync(
                () => host.DecideAsync(PunishmentCase, department, "approve", TestLocalHost.Token(department)),
                r => r.Status != 409,
                TimeSpan.FromSeconds(15),
                "the review to open");
            Assert.Equal(202, status);
        }

        // The A-grade enterprise's third good signal opens its incentive review.
        await Eventually.GetAsync(
            () => host.CaseStatusAsync(IncentiveCase),
            s => s == "Pending",
            TimeSpan.FromSeconds(60),
            "the incentive case to be pending");
        foreach (var department in new[] { "customs", "market-regulator" })
        {
            var (status, _) = await Eventually.GetAsync(
                () => host.DecideAsync(IncentiveCase, department, "approve", TestLocalHost.Token(department)),
                r => r.Status != 409,
                TimeSpan.FromSeconds(15),
                "the incentive review to open");
            Assert.Equal(202, status);
        }

        // Customs reports back that it implemented its measure; tax does not and is chased.
        await Eventually.GetAsync(
            () => host.CaseStatusAsync(PunishmentCase),
            s => s == "MeasuresInForce",
            TimeSpan.FromSeconds(60),
            "the punishment measures to apply");
        Assert.Equal(
            202,
            (await host.SendAsync(
                HttpMethod.Post,
                $"api/reviews/{PunishmentCase}/departments/customs/implementation",
                TestLocalHost.Token("customs"),
                "{\"comment\":\"AEO certificate withdrawn\"}")).Status);
        Assert.Equal(
            403,
            (await host.SendAsync(
                HttpMethod.Post,
                $"api/reviews/{PunishmentCase}/departments/customs/implementation",
                TestLocalHost.Token("tax"),
                "{}")).Status);
        Assert.Equal(
            403,
            (await host.SendAsync(
                HttpMethod.Post,
                $"api/reviews/{PunishmentCase}/repair",
                TestLocalHost.EnterpriseToken(Beichen),
                "{\"comment\":\"not my case\"}")).Status);

        await Eventually.GetAsync(
            () => host.CaseStatusAsync(PunishmentCase),
            s => s == "Closed",
            TimeSpan.FromSeconds(90),
            "the punishment measures to be lifted at their end");
        var (_, review) = await host.SendAsync(
            HttpMethod.Get,
            $"api/reviews/{PunishmentCase}",
            TestLocalHost.RegulatorToken);
        var trail = review.GetProperty("audit")
            .EnumerateArray()
            .Select(a => (Action: a.GetProperty("action").GetString(), Detail: a.GetProperty("detail").GetString() ?? string.Empty))
            .ToList();
        foreach (var action in new[] { "reminder-sent", "escalated-to-supervisor", "department-overdue" })
        {
            Assert.Contains(trail, a => a.Action == action && a.Detail.StartsWith("procurement", StringComparison.Ordinal));
        }

        // The case file froze the portrait and evidence the case opened on, each traced to its
        // archived bytes, and the case-opened entry carries the file's hash.
        var caseFileName = review.GetProperty("case").GetProperty("caseFile").GetString()!;
        var caseFileBytes = (await host.Storage.Container(StorageNames.Containers.CaseFiles)
                .GetBlobClient(caseFileName)
                .DownloadContentAsync())
            .Value.Content.ToArray();
        Assert.Contains(
            trail,
            a => a.Action == "case-opened"
                && a.Detail.Contains($"sha256 {ContentHash.Sha256Hex(caseFileBytes)}", StringComparison.Ordinal));
        var evidence = review.GetProperty("caseFile").GetProperty("evidence").EnumerateArray().ToList();
        Assert.NotEmpty(evidence);
        foreach (var item in evidence)
        {
            var rawBlob = item.GetProperty("rawBlob").GetString()!;
            Assert.StartsWith($"{StorageNames.Containers.Raw}/", rawBlob, StringComparison.Ordinal);
            Assert.True(
                await host.Storage.Container(StorageNames.Containers.Raw)
                    .GetBlobClient(rawBlob[(StorageNames.Containers.Raw.Length + 1)..])
                    .ExistsAsync(),
                rawBlob);
        }

        Assert.Equal(evidence.Count, review.GetProperty("caseFile").GetProperty("portrait").GetProperty("contributions").GetArrayLength());
        Assert.Contains(trail, a => a.Action == "implementation-reported" && a.Detail.StartsWith("customs", StringComparison.Ordinal));
        Assert.Contains(trail, a => a.Action == "implementation-overdue" && a.Detail.StartsWith("tax", StringComparison.Ordinal));
        Assert.Contains(trail, a => a.Action == "enterprise-notified");
        Assert.Contains(trail, a => a.Action == "measures-lifted" && a.Detail.Contains("expired", StringComparison.Ordinal));
        var measures = await host.Storage.Table(StorageNames.Tables.Measures).InPartitionAsync(Huaxia);
        Assert.Equal(
            ["CUSTOMS-AEO-REFUSED", "TAX-GRADE-LOWERED"],
            measures.Select(m => m.RowKey.Split('|')[2]).Order(StringComparer.Ordinal));
        Assert.All(measures, m => Assert.Equal("Lifted", m.GetString("Status")));
        var alerts = await Eventually.GetAsync(
            () => host.Storage.Table(StorageNames.Tables.Alerts).InPartitionAsync(Huaxia),
            rows => rows.Any(r => r.GetString("Kind") == "MeasuresLifted" && r.GetBoolean("Delivered") == true),
            TimeSpan.FromSeconds(30), "the lifted alert to be delivered");
        Assert.Contains(alerts, a => a.GetString("Kind") == "Escalated" && a.RowKey.Contains("procurement", StringComparison.Ordinal));

        // The incentive path ran on the same engine.
        var incentives = await Eventually.GetAsync(
            () => host.Storage.Table(StorageNames.Tables.Measures).InPartitionAsync(Beichen),
            rows => rows.Count == 2, TimeSpan.FromSeconds(60), "the incentive measures");
        Assert.Equal(
            ["CUSTOMS-GREEN-CHANNEL", "SAMR-FEWER-SPOT-CHECKS"],
            incentives.Select(m => m.RowKey.Split('|')[2]).Order(StringComparer.Ordinal));

        var (auditStatus, audit) = await host.SendAsync(
            HttpMethod.Get,
            "api/operator/audit/verify",
            TestLocalHost.RegulatorToken);
        Assert.Equal(200, auditStatus);
        Assert.Empty(audit.GetProperty("breaks").EnumerateArray());
    }
}
