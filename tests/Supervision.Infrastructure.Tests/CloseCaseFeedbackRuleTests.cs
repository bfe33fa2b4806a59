using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Reviews;

namespace Supervision.Infrastructure.Tests;

/// <summary>When a closed case confirms or refutes its evidence, and when it says nothing either way.</summary>
public class CloseCaseFeedbackRuleTests
{
    private static readonly AppliedMeasure Measure = new(
        "U", "case-1", "tax", "TAX-GRADE-LOWERED", "grade lowered", "basis",
        DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(365));



    [Theory]
    [InlineData("approved,rejected,overdue", true, true)]
    [InlineData("rejected,rejected", false, false)]
    [InlineData("rejected,overdue", false, false)]
    [InlineData("overdue,overdue", false, null)]
    [InlineData("approved,rejected", false, null)]
    public void ConfirmsEvidence_Outcome_ConfirmsOnAMeasureRefutesOnRejectionsAloneOtherwiseSaysNothing(
        string statuses, bool withMeasure, bool? expected)
    {
        var departments = statuses.Split(',')
            .Select((s, i) => new DepartmentOutcome($"d{i}", Enum.Parse<DepartmentOutcomeStatus>(s, ignoreCase: true), null, null))

            .ToList();

        var confirmed = CloseCaseActivity.ConfirmsEvidence(new ReviewOutcome("case-1", departments, withMeasure ? [Measure] : []));

        Assert.Equal(expected, confirmed);
    }
}
