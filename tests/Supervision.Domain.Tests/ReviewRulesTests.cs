using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;

namespace Supervision.Domain.Tests;

public class ReviewRulesTests
{
    private static readonly MemorandumCatalog Catalog = MemorandumCatalog.LoadEmbedded();

    [Fact]
    public void TriggeredBy_GradeD_OpensThePunishmentMemorandumWithThreeDepartments()
    {
        var memoranda = Catalog.TriggeredBy(Portrait(CreditGrade.D)).ToList();

        var punishment = Assert.Single(memoranda);
        Assert.Equal(MemorandumKind.Punishment, punishment.Kind);
        Assert.Equal(["customs", "tax", "procurement"], punishment.Departments.Select(d => d.Department));
    }

    [Theory]
    [InlineData(CreditGrade.B)]
    [InlineData(CreditGrade.C)]
    public void TriggeredBy_MiddleGrades_OpensNothing(CreditGrade grade) =>
        Assert.Empty(Catalog.TriggeredBy(Portrait(grade)));

    [Fact]
    public void Plan_OnlyApprovedDepartments_ContributeMeasures()
    {
        var memorandum = Catalog.Get("JP-DISHONEST-2016");
        var start = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
        var request = new ReviewRequest("case", "U", "name", memorandum.Id, memorandum.Kind, CreditGrade.D, 40, [], memorandum.Departments, TimeSpan.FromMinutes(1), start);
        DepartmentOutcome[] outcomes =
        [
            new("customs", DepartmentOutcomeStatus.Approved, "c", null),
            new("tax", DepartmentOutcomeStatus.Rejected, "t", null),
            new("procurement", DepartmentOutcomeStatus.Overdue, null, null),
        ];

        var measures = MeasurePlanner.Plan(request, outcomes, start);

        var measure = Assert.Single(measures);
        Assert.Equal("CUSTOMS-AEO-REFUSED", measure.Code);
        Assert.Equal(start.AddDays(365), measure.EndsAt);
    }

    private static CreditPortrait Portrait(CreditGrade grade) => new("U", 50, grade, 1, 1, [], DateTimeOffset.UnixEpoch);
}
