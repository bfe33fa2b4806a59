using Supervision.Domain.Reviews;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests;

/// <summary>
/// An enterprise objects to its measures over HTTP on the local host: only that enterprise may,
/// once, within the window; the review re-opens for the departments with measures; one rejects
/// (its measure is withdrawn), one upholds (its measure stays), and everything is audited.
/// </summary>
public sealed class ObjectionDemoTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Huaxia = "91330100D3M0000018";
    private const string Beichen = "91110000D3M000004N";
    private const string Case = "JP-DISHONEST-2016-" + Huaxia;

    [Fact]
    public async Task Objection_ReopensTheReview_RejectionWithdrawsItsMeasureAndApprovalUpholdsIt()
    {
        await using var host = await TestLocalHost.StartAsync(
            azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: true,
            overrides: new Dictionary<string, string?>
            {
                ["Reviews:DecisionWindow"] = "00:00:15",
                ["Reviews:MeasureDuration"] = "00:10:00",
                ["Reviews:ObjectionWindow"] = "00:05:00",
            });

        await Eventually.GetAsync(
            () => host.CaseStatusAsync(Case),
            s => s == "Pending",
            TimeSpan.FromSeconds(90),
            "the punishment case to be pending");
        foreach (var department in new[] { "customs", "tax" })
        {
            await Eventually.GetAsync(
                () => host.DecideAsync(Case, department, "approve", TestLocalHost.Token(department)),
                r => r.Status != 409,
                TimeSpan.FromSeconds(15),
                "the review to open");
        }

        const string objection = "{\"comment\":\"the smuggled goods belonged to a supplier; customs records attached\"}";
        var enterprise = TestLocalHost.EnterpriseToken(Huaxia);
        // nothing decided yet
        Assert.Equal(409, (await host.SendAsync(HttpMethod.Post, $"api/reviews/{Case}/objection", enterprise, objection)).Status);
        await Eventually.GetAsync(
            () => host.CaseStatusAsync(Case),
            s => s == "MeasuresInForce",
            TimeSpan.FromSeconds(90),
            "the measures to apply");
        await Eventually.GetAsync(
            async () =>
                (await host.SendAsync(HttpMethod.Get, $"api/reviews/{Case}", TestLocalHost.RegulatorToken)).Body,
            b => b.GetProperty("case").TryGetProperty("objectionDeadline", out var d)
                && d.ValueKind == System.Text.Json.JsonValueKind.String,
            TimeSpan.FromSeconds(60),
            "the enterprise to be notified with a deadline");

        Assert.Equal(401, (await host.SendAsync(HttpMethod.Post, $"api/reviews/{Case}/objection", null, objection)).Status);
        Assert.Equal(
            403,
            (await host.SendAsync(
                HttpMethod.Post,
                $"api/reviews/{Case}/objection",
                TestLocalHost.EnterpriseToken(Beichen),
                objection)).Status);
        Assert.Equal(
            403,
            (await host.SendAsync(HttpMethod.Post, $"api/reviews/{Case}/objection", TestLocalHost.Token("customs"), objection)).Status);
        Assert.Equal(400, (await host.SendAsync(HttpMethod.Post, $"api/reviews/{Case}/objection", enterprise, "{}")).Status);
        Assert.Equal(202, (await host.SendAsync(HttpMethod.Post, $"api/reviews/{Case}/objection", enterprise, objection)).Status);
        Assert.Equal(200, (await host.SendAsync(HttpMethod.Post, $"api/reviews/{Case}/objection", enterprise, objection)).Status);
        Assert.Equal(
            409,
            (await host.SendAsync(
                HttpMethod.Post,
                $"api/reviews/{Case}/objection",
                enterprise,
                "{\"comment\":\"and another thing\"}")).Status);

        await Eventually.GetAsync(
            () => host.CaseStatusAsync(Case),
            s => s == "Pending",
            TimeSpan.FromSeconds(60),
            "the review to re-open");
        // no measure: not in round 2
        Assert.Equal(409, (await host.DecideAsync(Case, "procurement", "approve", TestLocalHost.Token("procurement"))).Status);
        var (customs, body) = await Eventually.GetAsync(
            () => host.DecideAsync(Case, "customs", "reject", TestLocalHost.Token("customs")),
            r => r.Status != 409,
            TimeSpan.FromSeconds(15),
            "round 2 to open");
        Assert.Equal(202, customs);
        Assert.Equal(2, body.GetProperty("round").GetInt32());
        Assert.Equal(202, (await host.DecideAsync(Case, "tax", "approve", TestLocalHost.Token("tax"))).Status);
        // idempotent in round 2 too
        Assert.Equal(200, (await host.DecideAsync(Case, "tax", "approve", TestLocalHost.Token("tax"))).Status);

        await Eventually.GetAsync(
            () => host.CaseStatusAsync(Case),
            s => s == "MeasuresInForce",
            TimeSpan.FromSeconds(60),
            "the objection to be decided");
        var measures = await Eventually.GetAsync(
            () => host.Storage.Table(StorageNames.Tables.Measures).InPartitionAsync(Huaxia),
            rows => rows.Any(r => r.GetString("Status") == "Lifted"),
            TimeSpan.FromSeconds(30),
            "the withdrawn measure");
        var byCode = measures.ToDictionary(
            m => m.RowKey.Split('|')[2],
            m => (Status: m.GetString("Status"), Reason: m.GetString("LiftReason")));
        Assert.Equal("Lifted", byCode["CUSTOMS-AEO-REFUSED"].Status);
        Assert.Contains("objection", byCode["CUSTOMS-AEO-REFUSED"].Reason, StringComparison.Ordinal);
        Assert.Equal("Applied", byCode["TAX-GRADE-LOWERED"].Status);

        var (_, review) = await host.SendAsync(
            HttpMethod.Get,
            $"api/reviews/{Case}",
            TestLocalHost.RegulatorToken);
        var actions = review.GetProperty("audit").EnumerateArray().Select(a => a.GetProperty("action").GetString()).ToList();
        var opened = review.GetProperty("audit")
            .EnumerateArray()
            .Single(a => a.GetProperty("action").GetString() == "case-opened")
            .GetProperty("detail")
            .GetString();
        Assert.Contains("models polarity-en-", opened, StringComparison.Ordinal); // what the opening rested on
        Assert.Contains("grade thresholds A ≥ 85", opened, StringComparison.Ordinal);
        foreach (var action in new[] { "objection-received", "review-reopened", "objection-decision", "objection-decided" })
        {
            Assert.Contains(action, actions);
        }

        await Eventually.GetAsync(
            () => host.Storage.Table(StorageNames.Tables.Alerts).InPartitionAsync(Huaxia),
            rows => rows.Any(r => r.GetString("Kind") == "ObjectionReceived"),
            TimeSpan.FromSeconds(30),
            "the objection alert to be delivered");
        var (auditStatus, audit) = await host.SendAsync(
            HttpMethod.Get,
            "api/operator/audit/verify",
            TestLocalHost.RegulatorToken);
        Assert.Equal(200, auditStatus);
        Assert.Empty(audit.GetProperty("breaks").EnumerateArray());
    }
}
