using Microsoft.Extensions.Logging.Abstractions;
using Supervision.Domain.Audit;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api;
using Supervision.LocalHost.Triggers;

namespace Supervision.Infrastructure.Tests;

/// <summary>The one table of who may call what, applied to callers built directly (token handling is the resolver's).</summary>
public class RouteAuthoriserTests
{
    private const string UsccA = "91330100D3M0000018";
    private const string UsccB = "91310000D3M000002X";

    private static readonly Dictionary<string, Caller?> Callers = new()
    {
        ["anonymous"] = null,
        ["customs-reviewer"] = Caller.StaffOf("c1", "customs"),
        ["tax-supervisor"] = Caller.StaffOf("t1", "tax", Roles.Supervisor),
        ["case-owner"] = new("owner", [Roles.CaseOwner]),
        ["operator"] = new("ops", [Roles.Operator]),
        ["auditor"] = new("audit", [Roles.Auditor]),
        ["enterprise-A"] = Caller.EnterpriseOf("a", UsccA),
        ["enterprise-B"] = Caller.EnterpriseOf("b", UsccB),
        ["institution"] = new("bank", [], Institution: "bank-1"),
        ["invented"] = new("who", ["whatever"]),
    };

    private readonly InMemoryAccessFacts facts = new(
        [Case("case-A", UsccA, "customs", "tax"), Case("case-B", UsccB, "customs")]);

    [Fact]
    public void RouteAccess_HasOneRowForEveryHttpFunction_AndNoOther()
    {
        Assert.Equal(
            LocalFunctions.Http.Select(h => h.Name).Order(StringComparer.Ordinal),
            RouteAccess.Rules.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("GetReview", "case-A", "customs-reviewer", 200)]
    [InlineData("GetReview", "case-B", "tax-supervisor", 403)]
    [InlineData("GetReview", "case-B", "case-owner", 200)]
    [InlineData("GetReview", "no-such-case", "case-owner", 200)]
    [InlineData("GetReview", "no-such-case", "enterprise-A", 403)]
    [InlineData("GetReview", "case-B", "auditor", 200)]
    [InlineData("GetReview", "case-A", "enterprise-A", 200)]
    [InlineData("GetReview", "case-B", "enterprise-A", 403)]
    [InlineData("GetReview", "case-A", "operator", 403)]
    [InlineData("GetReview", "case-A", "institution", 403)]
    [InlineData("GetReview", "case-A", "anonymous", 401)]
    [InlineData("SubmitDecision", "case-A", "customs-reviewer", 200)]
    [InlineData("SubmitDecision", "case-A", "tax-supervisor", 403)]
    [InlineData("SubmitDecision", "case-B", "case-owner", 403)]
    [InlineData("SubmitDecision", "case-A", "operator", 403)]
    [InlineData("DecideRepair", "case-A", "case-owner", 200)]
    [InlineData("DecideRepair", "case-A", "customs-reviewer", 403)]
    [InlineData("FileObjection", "case-A", "enterprise-A", 200)]
    [InlineData("FileObjection", "case-A", "enterprise-B", 403)]
    [InlineData("RequestRepair", "case-B", "enterprise-B", 200)]
    [InlineData("RequestRepair", "case-B", "customs-reviewer", 403)]
    public async Task Refusal_CaseRoutes_FollowTheTable(string function, string caseId, string caller, int expected)
    {
        var request = Request(("caseId", caseId), ("department", "customs"));

        Assert.Equal(expected, await StatusAsync(function, caller, request));
    }

    [Theory]
    [InlineData(UsccA, "tax-supervisor", 200)]
    [InlineData(UsccB, "tax-supervisor", 403)]
    [InlineData(UsccB, "customs-reviewer", 200)]
    [InlineData(UsccB, "case-owner", 200)]
    [InlineData(UsccB, "auditor", 200)]
    [InlineData(UsccA, "enterprise-A", 200)]
    [InlineData(UsccB, "enterprise-A", 403)]
    [InlineData(UsccA, "operator", 403)]
    [InlineData(UsccA, "institution", 403)]
    public async Task Refusal_Portrait_FollowsTheTable(string uscc, string caller, int expected)
    {
        Assert.Equal(expected, await StatusAsync("GetPortrait", caller, Request(("uscc", uscc))));
    }

    [Theory]
    [InlineData("ListSources", "operator", 200)]
    [InlineData("ListSources", "auditor", 403)]
    [InlineData("VerifyAudit", "auditor", 200)]
    [InlineData("VerifyAudit", "case-owner", 403)]
    [InlineData("Health", "anonymous", 200)]
    [InlineData("OpenApi", "invented", 200)]
    [InlineData("ListReviews", "invented", 403)]
    [InlineData("ListReviews", "institution", 403)]
    [InlineData("ListReviews", "enterprise-A", 200)]
    [InlineData("ListReviews", "customs-reviewer", 200)]
    public async Task Refusal_OtherRoutes_FollowTheTable(string function, string caller, int expected)
    {
        Assert.Equal(expected, await StatusAsync(function, caller, Request()));
    }

    [Theory]
    [InlineData("customs-reviewer", "department", "tax", 403)]
    [InlineData("customs-reviewer", "department", "customs", 200)]
    [InlineData("customs-reviewer", "uscc", UsccA, 403)]
    [InlineData("enterprise-A", "uscc", UsccB, 403)]
    [InlineData("enterprise-A", "uscc", UsccA, 200)]
    [InlineData("enterprise-A", "department", "customs", 403)]
    [InlineData("auditor", "department", "tax", 200)]
    public async Task Refusal_ListFilters_StayWithinTheCallersCases(string caller, string filter, string value, int expected)
    {
        var request = Request() with { Query = new Dictionary<string, string> { [filter] = value } };

        Assert.Equal(expected, await StatusAsync("ListReviews", caller, request));
    }

    [Fact]
    public async Task Refusal_ToAct_NamesWhoMay_AndIsAudited()
    {
        var refusal = await Authoriser().RefusalAsync(
            "SubmitDecision", Callers["tax-supervisor"], Request(("caseId", "case-B"), ("department", "customs")), CancellationToken.None);

        var problem = Assert.IsType<ProblemBody>(refusal!.Body);
        Assert.Equal(("无权访问 Not allowed", "urn:supervision:problem:not-allowed"), (problem.Title, problem.Type));
        Assert.Equal(
            "您无权作出部门审查决定。Only reviewers and supervisors of 'customs' on a case that names it may decide for it.",
            problem.Detail);
        var audited = Assert.Single(facts.Refusals);
        Assert.Equal(("access-refused|case-B", "t1"), (audited.Subject, audited.Actor));
    }

    [Fact]
    public async Task Refusal_ToRead_IsNotAudited()
    {
        await Authoriser().RefusalAsync("GetReview", Callers["enterprise-B"], Request(("caseId", "case-A")), CancellationToken.None);

        Assert.Empty(facts.Refusals);
    }

    [Fact]
    public async Task Refusal_FunctionWithoutARow_Throws()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => Authoriser().RefusalAsync("Unlisted", null, Request(), CancellationToken.None));
    }

    private async Task<int> StatusAsync(string function, string caller, ApiRequest request) =>
        (await Authoriser().RefusalAsync(function, Callers[caller], request, CancellationToken.None))?.Status ?? 200;

    private RouteAuthoriser Authoriser() => new(facts, TimeProvider.System, NullLogger<RouteAuthoriser>.Instance);

    private static ApiRequest Request(params (string Name, string Value)[] route) =>
        new ApiRequest(new Dictionary<string, string>(), new Dictionary<string, string>(), string.Empty).WithRoute(route);

    private static CaseRecord Case(string caseId, string uscc, params string[] departments) => new(
        caseId, uscc, "样本企业", "JP-DISHONEST-2016", MemorandumKind.Punishment, CreditGrade.D, 40, departments,
        CaseStatus.Pending, DateTimeOffset.UtcNow, null);

    /// <summary>Cases kept in memory, and the refusals the authoriser audited.</summary>
    private sealed class InMemoryAccessFacts(IReadOnlyList<CaseRecord> cases) : IAccessFacts
    {
        public List<AuditEntry> Refusals { get; } = [];

        public Task<CaseRecord?> CaseAsync(string caseId, CancellationToken cancellationToken) =>
            Task.FromResult(cases.FirstOrDefault(c => c.CaseId == caseId));

        public Task<IReadOnlyCollection<string>> DepartmentsWithCasesOfAsync(string uscc, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyCollection<string>>(cases.Where(c => c.Uscc == uscc).SelectMany(c => c.Departments).ToList());

        public Task RecordRefusalAsync(AuditEntry entry, CancellationToken cancellationToken)
        {
            Refusals.Add(entry);
            return Task.CompletedTask;
        }
    }
}
