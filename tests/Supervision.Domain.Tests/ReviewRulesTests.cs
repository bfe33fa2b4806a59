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

    [Theory]
    [InlineData(CreditGrade.C, new[] { "JP-MAJOR-TAX-2026" })]
    [InlineData(CreditGrade.D, new[] { "JP-DISHONEST-2016", "JP-MAJOR-TAX-2026" })]
    public void TriggeredBy_TaxFindingsAmongTheSignals_AlsoOpensTheTaxMemorandum(CreditGrade grade, string[] expected)
    {
        var portrait = Portrait(grade) with
        {
            SignalCount = 2,
            Contributions = [new("i1", "s", "raw", 0.8, "虚开增值税发票", "tax"), new("i2", "s", "raw", 0.5, "late parcel", "none")],
        };

        Assert.Equal(expected, Catalog.TriggeredBy(portrait).Select(m => m.Id));
    }

    [Fact]
    public void TriggeredBy_SeriousViolationRecordInForce_OpensThePunishmentAtAnyGrade()
    {
        var portrait = Portrait(CreditGrade.A) with
        {
            CreditContributions = [new("authority", "GovernmentRecord", "serious_violation", 0, 0.3, "sha", "listed")],
        };

        Assert.Equal(["JP-DISHONEST-2016"], Catalog.TriggeredBy(portrait).Select(m => m.Id));
    }

    [Fact]
    public void TriggeredBy_TaxMemorandumWithoutTaxFindings_StaysShut()
    {
        var portrait = Portrait(CreditGrade.C) with { SignalCount = 5, Contributions = [new("i1", "s", "raw", 0.9, "fire", "labour")] };

        Assert.Empty(Catalog.TriggeredBy(portrait));
    }

    [Fact]
    public void Plan_OnlyApprovedDepartments_ContributeMeasures()
    {
        var memorandum = Catalog.Get("JP-DISHONEST-2016");
        var start = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
        var request = new ReviewRequest(
            "case",
            "U",
            "name",
            memorandum.Id,
            memorandum.Kind,
            CreditGrade.D,
            40,
            [],
            memorandum.Departments,
            TimeSpan.FromMinutes(1),
            start);
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
