using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Api.Reviewers;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Reviews;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests;

/// <summary>
/// The console's queue and case page on a real local host: a department's deadline, status, reminders and
/// escalations reach its list from the review's own activities; raw evidence downloads as an attachment,
/// and the enterprise gets only its own row of a credit file shared with another enterprise.
/// </summary>
public sealed class ReviewQueueTests : IAsyncLifetime
{
    private const string Mine = "91310000D3M000002X";
    private const string Theirs = "91330100D3M0000018";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    private readonly AzuriteFixture azurite = new();
    private TestLocalHost host = null!;

    public async Task InitializeAsync()
    {
        await azurite.InitializeAsync();
        host = await TestLocalHost.StartAsync(azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: false);
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await azurite.DisposeAsync();
    }

    [Fact]
    public async Task CustomsList_CarriesItsDeadlineStatusOverdueAndAlerts_FromTheReviewsActivities()
    {
        var cases = host.Services.GetRequiredService<CaseStore>();
        var waiting = await SaveCaseAsync(cases, "queue-waiting", DateTimeOffset.UtcNow);
        var late = await SaveCaseAsync(cases, "queue-late", DateTimeOffset.UtcNow.AddMinutes(1));
        DepartmentReviewInput Input(CaseRecord c, string department) => new(c.CaseId, c.Uscc, department, Window);

        await RunAsync<NotifyDepartmentActivity, DepartmentDecision?>(Input(waiting, "customs"));
        var firstDeadline = ReviewProgress.Current((await cases.GetAsync(waiting.CaseId, default))!, "customs")!.Deadline;
        // Every activity may run twice; two departments' activities run at once.
        await Task.WhenAll(
            RunAsync<NotifyDepartmentActivity, DepartmentDecision?>(Input(waiting, "customs")),
            RunAsync<RemindDepartmentActivity, bool>(Input(waiting, "customs")),
            RunAsync<NotifyDepartmentActivity, DepartmentDecision?>(Input(waiting, "tax")));
        await RunAsync<EscalateToSupervisorActivity, bool>(Input(waiting, "customs"));
        await RunAsync<RemindDepartmentActivity, bool>(Input(waiting, "customs"));
        await RunAsync<NotifyDepartmentActivity, DepartmentDecision?>(Input(late, "customs"));
        await RunAsync<EscalateOverdueActivity, bool>(Input(late, "customs"));

        var customs = TestLocalHost.Token("customs");
        var (status, listed) = await host.SendAsync(HttpMethod.Get, "api/reviews?department=customs", customs);
        var (awaitingStatus, awaiting) = await host.SendAsync(HttpMethod.Get, "api/reviews?department=customs&awaiting=true", customs);
        var (_, enterprises) = await host.SendAsync(HttpMethod.Get, "api/reviews", TestLocalHost.EnterpriseToken(Mine));

        Assert.Equal((200, 200), (status, awaitingStatus));
        var items = listed.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("caseId").GetString()!);
        var onTime = Department(items[waiting.CaseId], "customs");
        Assert.Multiple(
            () => Assert.Equal("Pending", onTime.GetProperty("status").GetString()),
            () => Assert.Equal(firstDeadline, onTime.GetProperty("deadline").GetDateTimeOffset()),
            () => Assert.False(onTime.GetProperty("overdue").GetBoolean()),
            () => Assert.Equal(
                ["reminder", "escalated-to-supervisor"],
                onTime.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("kind").GetString())),
            () => Assert.All(
                onTime.GetProperty("alerts").EnumerateArray(),
                a => Assert.Equal(TimeSpan.Zero, a.GetProperty("at").GetDateTimeOffset().Offset)),
            () => Assert.Equal("Pending", Department(items[waiting.CaseId], "tax").GetProperty("status").GetString()),
            () => Assert.Equal("Overdue", Department(items[late.CaseId], "customs").GetProperty("status").GetString()),
            () => Assert.True(Department(items[late.CaseId], "customs").GetProperty("overdue").GetBoolean()),
            () => Assert.Equal(
                [waiting.CaseId], awaiting.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("caseId").GetString())),
            () => Assert.All(
                enterprises.GetProperty("items").EnumerateArray(),
                i => Assert.Equal(JsonValueKind.Null, i.GetProperty("departmentReviews").ValueKind)));
    }

    [Fact]
    public async Task RawCreditFile_IsAnAttachment_AndTheEnterpriseGetsOnlyItsOwnRowWithTheWholeFilesHash()
    {
        var csv = "uscc,score,grade,as_of,model_version\n"
            + $"{Theirs},410,D,2026-11-30,v3\n"
            + $"{Mine},455,D,2026-11-30,v3\n";
        var bytes = Encoding.UTF8.GetBytes(csv);
        var hash = await host.Services.GetRequiredService<RawArchive>().KeepAsync(bytes, "text/csv", "inbox/test.csv", default);
        var rss = Encoding.UTF8.GetBytes("<rss><channel><item><title>&lt;img src=x onerror=alert(1)&gt;</title></item></channel></rss>");
        var rssHash = await host.Services.GetRequiredService<RawArchive>().KeepAsync(rss, "application/rss+xml", "feed", default);
        var record = await SaveCaseAsync(host.Services.GetRequiredService<CaseStore>(), "raw-case", DateTimeOffset.UtcNow);
        const string title = "<img src=x onerror=alert(1)>";
        var portrait = new CreditPortrait(Mine, 40, CreditGrade.D, 0.8, 1, [new("item-1", "feed-1", rssHash, 0.6, title)], record.OpenedAt)
        {
            CreditContributions = [new("bureau-1", "CreditScore", "455", 17.5, 0.7, hash, "score 455 as of 2026-11-30")],
        };
        var file = new CaseFile(
            record.CaseId, record.MemorandumId, Mine, record.EnterpriseName, record.OpenedAt, portrait, "m1", "A ≥ 80",
            [new CaseFileEvidence("item-1", "feed-1", title, "fraud", 0.6, rssHash, "raw/x")]);
        var (name, _) = await host.Services.GetRequiredService<CaseFileStore>().WriteAsync(file, default);
        await host.Services.GetRequiredService<CaseStore>().SaveAsync(record with { CaseFile = name }, default);

        var reviewer = await GetRawAsync(record.CaseId, hash, TestLocalHost.Token("customs"));
        var enterprise = await GetRawAsync(record.CaseId, hash, TestLocalHost.EnterpriseToken(Mine));
        var feed = await GetRawAsync(record.CaseId, "item-1", TestLocalHost.EnterpriseToken(Mine));
        var other = await GetRawAsync(record.CaseId, hash, TestLocalHost.EnterpriseToken(Theirs));
        var (_, page) = await host.SendAsync(HttpMethod.Get, $"api/reviews/{record.CaseId}", TestLocalHost.Token("customs"));
        var (_, own) = await host.SendAsync(HttpMethod.Get, $"api/reviews/{record.CaseId}", TestLocalHost.EnterpriseToken(Mine));

        Assert.Multiple(
            () => Assert.Equal((200, "application/octet-stream"), (reviewer.Status, reviewer.ContentType)),
            () => Assert.Equal("attachment", reviewer.Disposition?.DispositionType),
            () => Assert.Equal($"evidence-{hash}.bin", reviewer.Disposition?.FileName),
            () => Assert.Equal("nosniff", reviewer.Header("X-Content-Type-Options")),
            () => Assert.Equal(hash, reviewer.Header(ReviewerRoutes.RawSha256Header)),
            () => Assert.Equal(bytes, reviewer.Body),
            () => Assert.Equal(200, enterprise.Status),
            () => Assert.Equal("own-rows", enterprise.Header(ReviewerRoutes.RawPartHeader)),
            () => Assert.Equal(hash, enterprise.Header(ReviewerRoutes.RawSha256Header)),
            () => Assert.Equal(
                $"uscc,score,grade,as_of,model_version\r\n{Mine},455,D,2026-11-30,v3\r\n", Encoding.UTF8.GetString(enterprise.Body)),
            () => Assert.DoesNotContain(Theirs, Encoding.UTF8.GetString(enterprise.Body), StringComparison.Ordinal),
            () => Assert.Equal("nosniff", enterprise.Header("X-Content-Type-Options")),
            () => Assert.Equal((200, "whole"), (feed.Status, feed.Header(ReviewerRoutes.RawPartHeader))),
            () => Assert.Equal(rss, feed.Body),
            () => Assert.Equal(403, other.Status),
            () => Assert.Equal(
                [$"/api/reviews/{record.CaseId}/evidence/item-1/raw", $"/api/reviews/{record.CaseId}/evidence/{hash}/raw"],
                page.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("rawUrl").GetString())),
            () => Assert.Equal("JP-DISHONEST-2016", page.GetProperty("memorandum").GetProperty("id").GetString()),
            () => Assert.True(page.GetProperty("proceedings").TryGetProperty("objections", out _)),
            () => Assert.Equal(
                $"/api/reviews/{record.CaseId}/evidence/{hash}/raw",
                own.GetProperty("evidence").GetProperty("creditRecords")[0].GetProperty("rawUrl").GetString()));
    }

    private static JsonElement Department(JsonElement item, string department) =>
        item.GetProperty("departmentReviews").EnumerateArray().Single(d => d.GetProperty("department").GetString() == department);

    private static async Task<CaseRecord> SaveCaseAsync(CaseStore cases, string caseId, DateTimeOffset openedAt)
    {
        var request = TestLocalHost.DishonestReview(caseId, ReviewTimings.Default) with { OpenedAt = openedAt };
        var record = CaseRecord.Of(request, CaseStatus.Pending, null);
        await cases.SaveAsync(record, default);
        return record;
    }

    /// <summary>Runs an activity as the Durable worker would (its context unused by these activities).</summary>
    private async Task<TOut> RunAsync<TActivity, TOut>(DepartmentReviewInput input)
        where TActivity : TaskActivity<DepartmentReviewInput, TOut>
    {
        var activity = ActivatorUtilities.CreateInstance<TActivity>(host.Services);
        return await activity.RunAsync(null!, input);
    }

    private async Task<RawAnswer> GetRawAsync(string caseId, string evidenceId, string token)
    {
        var path = $"api/reviews/{caseId}/evidence/{Uri.EscapeDataString(evidenceId)}/raw";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await host.Http.SendAsync(request);
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(",", h.Value));
        return new RawAnswer(
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            response.Content.Headers.ContentDisposition,
            headers,
            await response.Content.ReadAsByteArrayAsync());
    }

    private sealed record RawAnswer(
        int Status, string? ContentType, ContentDispositionHeaderValue? Disposition, Dictionary<string, string> Headers, byte[] Body)
    {
        public string? Header(string name) =>
            Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
    }
}
