using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;

namespace Supervision.Domain.Tests;

/// <summary>A department's deadline, status and alerts on its case: each step idempotent, two writers' steps joined.</summary>
public class ReviewProgressTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 8, 1, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromDays(3);

    private static readonly CaseRecord Case = new(
        "JP-1", "91330100D3M0000018", "样本", "JP-DISHONEST-2016", MemorandumKind.Punishment,
        CreditGrade.D, 40, ["customs", "tax"], CaseStatus.Pending, T0, null);

    [Fact]
    public void Notified_Twice_KeepsTheFirstDeadline()
    {
        var once = ReviewProgress.Notified(Case, "customs", 1, T0 + Window);
        var twice = ReviewProgress.Notified(once, "customs", 1, T0 + Window + TimeSpan.FromSeconds(9));

        var customs = Assert.Single(twice.DepartmentReviews!);
        Assert.Equal((DepartmentReviewStatus.Pending, T0 + Window), (customs.Status, customs.Deadline));
    }

    [Fact]
    public void Alerted_SameKindTwice_RecordsItOnceAtItsFirstTime()
    {
        var reminded = ReviewProgress.Alerted(Case, "customs", 1, ReviewAlertKinds.Reminder, T0.AddDays(1.5));
        var again = ReviewProgress.Alerted(reminded, "customs", 1, ReviewAlertKinds.Reminder, T0.AddDays(1.6));
        var escalated = ReviewProgress.Alerted(again, "customs", 1, ReviewAlertKinds.EscalatedToSupervisor, T0.AddDays(2.25));

        var alerts = ReviewProgress.Current(escalated, "customs")!.Alerts;
        Assert.Equal(
            [
                new ReviewAlert(ReviewAlertKinds.Reminder, T0.AddDays(1.5)),
                new ReviewAlert(ReviewAlertKinds.EscalatedToSupervisor, T0.AddDays(2.25)),
            ],
            alerts);
    }

    [Fact]
    public void EscalatedToCaseOwner_MarksOverdue_AndALateDecisionDoesNotUndoIt()
    {
        var overdue = ReviewProgress.Alerted(
            ReviewProgress.Notified(Case, "customs", 1, T0 + Window), "customs", 1, ReviewAlertKinds.EscalatedToCaseOwner, T0 + Window);
        var late = ReviewProgress.Decided(overdue, "customs", 1, DecisionVerdict.Approve, T0 + Window + TimeSpan.FromHours(1));

        var customs = ReviewProgress.AsOf(late, T0 + Window + TimeSpan.FromHours(2)).DepartmentReviews!.Single();
        Assert.Equal((DepartmentReviewStatus.Overdue, true), (customs.Status, customs.Overdue));
    }

    [Fact]
    public void InformationRequested_RestartsTheDeadlineOncePerRequest()
    {
        var notified = ReviewProgress.Notified(Case, "customs", 1, T0 + Window);
        var asked = ReviewProgress.InformationRequested(notified, "customs", 1, 1, T0.AddDays(1) + Window);
        var rerun = ReviewProgress.InformationRequested(asked, "customs", 1, 1, T0.AddDays(1.1) + Window);

        var customs = ReviewProgress.Current(rerun, "customs")!;
        Assert.Equal(
            (DepartmentReviewStatus.InformationRequested, 1, T0.AddDays(1) + Window),
            (customs.Status, customs.InformationRequests, customs.Deadline));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(1, true)]
    public void AsOf_APendingDepartmentPastItsDeadline_IsOverdue(int hoursAfterDeadline, bool overdue)
    {
        var notified = ReviewProgress.Notified(Case, "customs", 1, T0 + Window);

        var read = ReviewProgress.AsOf(notified, T0 + Window + TimeSpan.FromHours(hoursAfterDeadline));

        Assert.Equal(overdue, Assert.Single(read.DepartmentReviews!).Overdue);
    }

    [Fact]
    public void AsOf_ADecidedDepartmentPastItsDeadline_IsNotOverdue()
    {
        var decided = ReviewProgress.Decided(
            ReviewProgress.Notified(Case, "customs", 1, T0 + Window), "customs", 1, DecisionVerdict.Reject, T0.AddDays(1));

        var customs = ReviewProgress.AsOf(decided, T0 + Window + Window).DepartmentReviews!.Single();

        Assert.Equal((DepartmentReviewStatus.Rejected, false, T0.AddDays(1)), (customs.Status, customs.Overdue, customs.DecidedAt));
    }

    [Fact]
    public void Merge_TwoDepartmentsWrittenBySeparateWriters_KeepsBoth()
    {
        var customs = ReviewProgress.Alerted(
            ReviewProgress.Notified(Case, "customs", 1, T0 + Window), "customs", 1, ReviewAlertKinds.Reminder, T0.AddDays(1.5));
        var tax = ReviewProgress.Decided(ReviewProgress.Notified(Case, "tax", 1, T0 + Window), "tax", 1, DecisionVerdict.Approve, T0);
        var staleCustoms = ReviewProgress.Notified(Case, "customs", 1, T0 + Window);

        var merged = ReviewProgress.Merge(customs.DepartmentReviews, tax.DepartmentReviews)!;
        var again = ReviewProgress.Merge(merged, staleCustoms.DepartmentReviews)!;

        Assert.Equal(["customs", "tax"], again.Select(p => p.Department));
        Assert.Equal(ReviewAlertKinds.Reminder, Assert.Single(again[0].Alerts).Kind);
        Assert.Equal(DepartmentReviewStatus.Approved, again[1].Status);
    }

    [Fact]
    public void Merge_ALaterInformationRequest_CarriesItsRestartedDeadline()
    {
        var notified = ReviewProgress.Notified(Case, "customs", 1, T0 + Window);
        var asked = ReviewProgress.InformationRequested(notified, "customs", 1, 1, T0.AddDays(2) + Window);

        var merged = ReviewProgress.Merge(notified.DepartmentReviews, asked.DepartmentReviews)!;

        Assert.Equal(T0.AddDays(2) + Window, Assert.Single(merged).Deadline);
    }

    [Fact]
    public void Rounds_AreKeptApart_AndCurrentIsTheLatest()
    {
        var notified = ReviewProgress.Notified(Case, "customs", 1, T0 + Window);
        var first = ReviewProgress.Decided(notified, "customs", 1, DecisionVerdict.Approve, T0);
        var second = ReviewProgress.Notified(first, "customs", 2, T0.AddDays(20) + Window);

        var current = ReviewProgress.Current(second, "customs")!;
        Assert.Equal((2, DepartmentReviewStatus.Pending), (current.Round, current.Status));
        Assert.Equal(2, second.DepartmentReviews!.Count);
    }

    [Fact]
    public void ForEnterprise_DropsTheDepartmentsProgress()
    {
        var reminded = ReviewProgress.Alerted(Case, "customs", 1, ReviewAlertKinds.Reminder, T0);

        Assert.Null(CaseAccess.ViewFor(Caller.EnterpriseOf("e", Case.Uscc), reminded).DepartmentReviews);
        Assert.NotNull(CaseAccess.ViewFor(Caller.StaffOf("c", "customs", Roles.Reviewer), reminded).DepartmentReviews);
    }
}
