using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Portraits;
using Supervision.Domain.Problems;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Api.Reviewers;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>GET reviews page by page over the case index, on a real Azurite, counting what each page reads.</summary>
public sealed class CasePagingTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    // A case owner, who may list any department's cases (a department's staff list only their own).
    private static readonly Caller Ann = new("ann", [Roles.CaseOwner]);
    private static readonly DateTimeOffset Opened = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Acceptance (issue 14): 1,000 cases, 50 a page; about 3 s on Azurite, most of it seeding.</summary>
    [Fact]
    public async Task ListReviews_ThousandCasesPageByPage_NoRepeatsNoGaps_AndNoPageReadsMoreThanItsSizePlusOne()
    {
        var reads = new EntityReadCounter(StorageNames.Tables.Cases);
        await using var services = await ServicesAsync(reads);
        var department = "paging-" + Guid.NewGuid().ToString("N")[..8];
        var seeded = await SeedAsync(services, department, 1000);
        var routes = services.GetRequiredService<ReviewerRoutes>();
        await routes.ListReviewsAsync(Ann, Request(("department", department), ("pageSize", "1")), default); // the paging key, once

        var listed = new List<string>();
        string? next = null;
        var pages = 0;
        do
        {
            reads.Reset();
            var (status, body) = await SendAsync(routes, Ann, ("department", department), ("pageSize", "50"), ("next", next));
            Assert.Equal(200, status);
            Assert.InRange(reads.Entities, 1, 51);
            listed.AddRange(body.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("caseId").GetString()!));
            next = body.GetProperty("next").GetString();
            pages++;
        }
        while (next is not null);

        var newestFirst = seeded.OrderByDescending(c => c.OpenedAt).ThenBy(c => c.CaseId, StringComparer.Ordinal).Select(c => c.CaseId);
        Assert.Equal(newestFirst, listed);
        Assert.Equal(20, pages);
    }

    [Fact]
    public async Task ListReviews_TokenReplayedWithAnotherFilterOrByAnotherCaller_IsRefused()
    {
        await using var services = await ServicesAsync(new EntityReadCounter(StorageNames.Tables.Cases));
        var department = "replay-" + Guid.NewGuid().ToString("N")[..8];
        await SeedAsync(services, department, 12);
        var routes = services.GetRequiredService<ReviewerRoutes>();
        var (_, first) = await SendAsync(routes, Ann, ("department", department), ("pageSize", "5"));
        var next = first.GetProperty("next").GetString();

        var sameQuery = await SendAsync(routes, Ann, ("department", department), ("pageSize", "5"), ("next", next));
        var otherStatus = await SendAsync(routes, Ann, ("department", department), ("status", "Pending"), ("next", next));
        var otherDepartment = await SendAsync(routes, Ann, ("department", "tax"), ("next", next));
        var otherCaller = await SendAsync(routes, Ann with { Subject = "bob" }, ("department", department), ("next", next));
        var otherRole = await SendAsync(routes, new Caller(Ann.Subject, [Roles.Auditor]), ("department", department), ("next", next));
        var altered = await SendAsync(routes, Ann, ("department", department), ("next", next![..^3] + "abc"));

        Assert.Equal(200, sameQuery.Status);
        Assert.All(
            new[] { otherStatus, otherDepartment, otherCaller, otherRole, altered },
            r => Assert.Equal((400, ProblemKinds.PageTokenRefused.Type), (r.Status, r.Body.GetProperty("type").GetString())));
        Assert.Contains("another query", otherStatus.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("another caller", otherCaller.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("201")]
    [InlineData("many")]
    public async Task ListReviews_InvalidPageSize_Is400NamingTheLimits(string size)
    {
        await using var services = await ServicesAsync(new EntityReadCounter(StorageNames.Tables.Cases));

        var (status, body) = await SendAsync(services.GetRequiredService<ReviewerRoutes>(), Ann, ("pageSize", size));

        Assert.Equal(400, status);
        Assert.Contains("1 to 200", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<ServiceProvider> ServicesAsync(EntityReadCounter reads)
    {
        var storage = PolicyStorage.With(azurite.ConnectionString, reads);
        return await TestServices.BuildAsync(azurite.ConnectionString, configure: s => s.AddSingleton(storage));
    }

    /// <summary>
    /// Cases of one department, in mixed statuses, three opened at each minute (so the case id breaks
    /// ties): their index rows written as the store writes them, in batch transactions per partition.
    /// </summary>
    private static async Task<List<CaseRecord>> SeedAsync(IServiceProvider services, string department, int count)
    {
        var cases = Enumerable.Range(0, count).Select(i => new CaseRecord(
            string.Create(CultureInfo.InvariantCulture, $"JP-TEST-{department}-{i:D4}"),
            string.Create(CultureInfo.InvariantCulture, $"9133010000000{i:D5}"),
            "样本",
            "JP-TEST",
            MemorandumKind.Punishment,
            CreditGrade.D,
            40,
            [department],
            (CaseStatus)(i % 3),
            Opened.AddMinutes(i / 3),
            null)).ToList();
        var table = services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.Cases);
        var rows = cases.SelectMany(CaseIndex.RowsFor).Where(r => r.PartitionKey.StartsWith("dept|", StringComparison.Ordinal));
        foreach (var batch in rows.GroupBy(r => r.PartitionKey).SelectMany(p => p.Chunk(100)))
        {
            await table.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r)));
        }

        return cases;
    }

    private static ApiRequest Request(params (string Name, string? Value)[] query) =>
        new(
            new Dictionary<string, string>(),
            query.Where(q => q.Value is not null).ToDictionary(q => q.Name, q => q.Value!, StringComparer.OrdinalIgnoreCase),
            string.Empty);

    private static async Task<(int Status, JsonElement Body)> SendAsync(
        ReviewerRoutes routes, Caller caller, params (string Name, string? Value)[] query)
    {
        var response = await routes.ListReviewsAsync(caller, Request(query), default);
        return (response.Status, JsonDocument.Parse(response.BodyJson()).RootElement.Clone());
    }
}
