using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Reviews;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests;

/// <summary>
/// One local host over its own Azurite with two real cases in storage, shared by the access tests:
/// enterprise A's case under the dishonesty memorandum (customs, tax, procurement; decided, with a
/// reviewer's comment and measures), and enterprise B's case named by customs only.
/// </summary>
public sealed class AccessHost : IAsyncLifetime
{
    public const string UsccA = "91330100D3M0000018";
    public const string UsccB = "91310000D3M000002X";
    public const string CaseA = "access-case-A";
    public const string CaseB = "access-case-B";
    public const string ReviewersRemark = "customs' internal remark: seizure 2026-117 still under investigation";

    private readonly AzuriteFixture azurite = new();

    /// <summary>Each audience of the API by name, with its token (null: no identity).</summary>
    public static readonly IReadOnlyDictionary<string, string?> Tokens = new Dictionary<string, string?>
    {
        ["anonymous"] = null,
        ["customs-reviewer"] = TestLocalHost.Token("customs"),
        ["tax-supervisor"] = TestLocalHost.Token("tax", Roles.Supervisor),
        ["case-owner"] = TestLocalHost.RoleToken(Roles.CaseOwner),
        ["operator"] = TestLocalHost.RoleToken(Roles.Operator),
        ["auditor"] = TestLocalHost.RoleToken(Roles.Auditor),
        ["enterprise-A"] = TestLocalHost.EnterpriseToken(UsccA),
        ["enterprise-B"] = TestLocalHost.EnterpriseToken(UsccB),
        ["institution"] = TestLocalHost.InstitutionToken("credit-agency-1"),
        ["invented-role"] = TestLocalHost.RoleToken("whatever"),
    };

    public TestLocalHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await azurite.InitializeAsync();
        Host = await TestLocalHost.StartAsync(azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: false);
        var cases = Host.Services.GetRequiredService<CaseStore>();
        var now = DateTimeOffset.UtcNow;

        var a = TestLocalHost.DishonestReview(CaseA, ReviewTimings.Default) with
        {
            Uscc = UsccA,
            EnterpriseName = "华夏样本贸易有限公司",
        };
        var customs = a.Departments.Single(d => d.Department == "customs").Measures.Single();
        var measure = new AppliedMeasure(
            UsccA, CaseA, "customs", customs.Code, customs.Description, customs.LegalBasis, now, now + customs.Duration);
        var outcome = new ReviewOutcome(
            CaseA,
            [
                new("customs", DepartmentOutcomeStatus.Approved, "customs-reviewer", ReviewersRemark),
                new("tax", DepartmentOutcomeStatus.Rejected, "tax-supervisor", null),
                new("procurement", DepartmentOutcomeStatus.Rejected, "procurement-reviewer", null),
            ],
            [measure]);
        await cases.SaveAsync(CaseRecord.Of(a, CaseStatus.MeasuresInForce, outcome), CancellationToken.None);
        await cases.RecordDecisionAsync(
            new DecisionRecord(CaseA, "customs", DecisionVerdict.Approve, "customs-reviewer", ReviewersRemark, now),
            CancellationToken.None);

        var b = TestLocalHost.DishonestReview(CaseB, ReviewTimings.Default) with
        {
            Departments = a.Departments.Where(d => d.Department == "customs").ToList(),
            OpenedAt = now.AddMinutes(1),
        };
        await cases.SaveAsync(CaseRecord.Of(b, CaseStatus.Pending, null), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await azurite.DisposeAsync();
    }
}
