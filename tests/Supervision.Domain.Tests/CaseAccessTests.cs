using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;

namespace Supervision.Domain.Tests;

/// <summary>Which cases a caller sees, and how much of each.</summary>
public class CaseAccessTests
{
    private static readonly CaseRecord Decided = new(
        "JP-DISHONEST-2016-91330100D3M0000018", "91330100D3M0000018", "样本", "JP-DISHONEST-2016", MemorandumKind.Punishment,
        CreditGrade.D, 40, ["customs", "tax"], CaseStatus.MeasuresInForce, DateTimeOffset.UnixEpoch,
        new ReviewOutcome(
            "JP-DISHONEST-2016-91330100D3M0000018",
            [new("customs", DepartmentOutcomeStatus.Approved, "ann", "internal remark")],
            [new("91330100D3M0000018", "JP-DISHONEST-2016-91330100D3M0000018", "customs", "CUSTOMS-AEO-REFUSED", "AEO refused",
                "Customs enterprise credit management measures, art. 12", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)]));

    [Fact]
    public void ViewFor_TheEnterprise_KeepsMeasuresAndLegalBasis_DropsWhoDecidedAndTheirComments()
    {
        var view = CaseAccess.ViewFor(Caller.EnterpriseOf("e", Decided.Uscc), Decided);

        var department = Assert.Single(view.Outcome!.Departments);
        Assert.Equal((DepartmentOutcomeStatus.Approved, null, null), (department.Status, department.DecidedBy, department.Comment));
        Assert.Equal("Customs enterprise credit management measures, art. 12", Assert.Single(view.Outcome.Measures).LegalBasis);
    }

    [Fact]
    public void ViewFor_StaffOfANamedDepartment_SeesTheWholeCase()
    {
        Assert.Same(Decided, CaseAccess.ViewFor(Caller.StaffOf("t", "tax", Roles.Supervisor), Decided));
    }

    [Theory]
    [InlineData(null, null, "customs", null)]
    [InlineData("customs", null, "customs", null)]
    [InlineData("tax", null, null, DeskOutcomeKind.Forbidden)]
    [InlineData(null, "91330100D3M0000018", null, DeskOutcomeKind.Forbidden)]
    public void ScopeOfList_OneDepartmentsReviewer_ReadsOnlyThatDepartment(
        string? department, string? uscc, string? listed, DeskOutcomeKind? refusal)
    {
        var (scope, refused) = CaseAccess.ScopeOfList(Caller.StaffOf("c", "customs"), department, uscc);

        Assert.Equal((listed, refusal), (scope?.Department, refused?.Kind));
    }

    [Fact]
    public void ScopeOfList_StaffOfSeveralDepartments_NamingNone_IsAskedToChoose()
    {
        var caller = new Caller("ct", [Roles.ReviewerOf("customs"), Roles.SupervisorOf("tax")]);

        var (_, refused) = CaseAccess.ScopeOfList(caller, null, null);

        Assert.Equal(DeskOutcomeKind.Invalid, refused!.Kind);
        Assert.Contains("customs, tax", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ScopeOfList_Enterprise_ReadsItsOwnPartition_AndNoOther()
    {
        var enterprise = Caller.EnterpriseOf("e", "91330100D3M0000018");

        Assert.Equal("91330100D3M0000018", CaseAccess.ScopeOfList(enterprise, null, null).Scope!.Uscc);
        Assert.Equal(DeskOutcomeKind.Forbidden, CaseAccess.ScopeOfList(enterprise, null, "91310000D3M000002X").Refusal!.Kind);
    }

    [Fact]
    public void ScopeOfList_InstitutionOrInventedRole_IsForbidden()
    {
        Assert.Equal(DeskOutcomeKind.Forbidden, CaseAccess.ScopeOfList(new("bank", [], Institution: "b1"), null, null).Refusal!.Kind);
        Assert.Equal(DeskOutcomeKind.Forbidden, CaseAccess.ScopeOfList(new("who", ["whatever"]), null, null).Refusal!.Kind);
    }

    [Fact]
    public void Catalog_EveryMemorandumNamesItsCaseOwner()
    {
        Assert.All(MemorandumCatalog.LoadEmbedded().Memoranda, m => Assert.False(string.IsNullOrWhiteSpace(m.Owner), m.Id));
    }
}
