using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;

namespace Supervision.Domain.Tests;

/// <summary>Case ids per occurrence, and when a flag opens a case, is ignored, or asks for a portrait of fresh evidence.</summary>
public class CaseOccurrencesTests
{
    private const string Memorandum = "JP-DISHONEST-2016";
    private const string Uscc = "91330100D3M0000018";
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    [Fact]
    public void CaseIdFor_FirstOccurrence_KeepsTheIdCasesAlwaysHad() =>
        Assert.Equal(ReviewNames.CaseIdFor(Memorandum, Uscc), CaseOccurrences.CaseIdFor(Memorandum, Uscc, 1));

    [Theory]
    [InlineData(2, "JP-DISHONEST-2016-91330100D3M0000018-2")]
    [InlineData(11, "JP-DISHONEST-2016-91330100D3M0000018-11")]
    public void CaseIdFor_LaterOccurrences_AddTheirNumber(int occurrence, string expected) =>
        Assert.Equal(expected, CaseOccurrences.CaseIdFor(Memorandum, Uscc, occurrence));

    [Fact]
    public void CaseIdFor_OccurrenceZero_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CaseOccurrences.CaseIdFor(Memorandum, Uscc, 0));

    [Theory]
    [InlineData("JP-DISHONEST-2016-91330100D3M0000018", 1)]
    [InlineData("JP-DISHONEST-2016-91330100D3M0000018-2", 2)]
    [InlineData("JP-DISHONEST-2016-91330100D3M0000018-37", 37)]
    [InlineData("JP-DISHONEST-2016-91330100D3M0000018-1", null)]
    [InlineData("JP-DISHONEST-2016-91330100D3M0000018-02", null)]
    [InlineData("JP-DISHONEST-2016-91330100D3M0000018-x", null)]
    [InlineData("JP-DISHONEST-2016-91330100D3M0000018-", null)]
    [InlineData("JP-DISHONEST-2016-91330100D3M0000018-99999999999", null)]
    [InlineData("JP-MAJOR-TAX-2026-91330100D3M0000018-2", null)]
    [InlineData("JP-DISHONEST-2016-91310000D3M000002X", null)]
    public void OccurrenceOf_ReadsOnlyThisMemorandumAndEnterprisesIds(string caseId, int? expected) =>
        Assert.Equal(expected, CaseOccurrences.OccurrenceOf(caseId, Memorandum, Uscc));

    [Fact]
    public void ClosedAtOf_RecordedClosure_IsUsed()
    {
        var closed = Case(CaseStatus.Closed, measuresEnd: Now.AddDays(-30)) with { ClosedAt = Now.AddDays(-3) };

        Assert.Equal(Now.AddDays(-3), CaseOccurrences.ClosedAtOf(closed));
    }

    [Fact]
    public void ClosedAtOf_OldCaseWithMeasures_ClosedWhenItsLastMeasureEnded() =>
        Assert.Equal(Now.AddDays(-30), CaseOccurrences.ClosedAtOf(Case(CaseStatus.Closed, measuresEnd: Now.AddDays(-30))));

    [Fact]
    public void ClosedAtOf_OldCaseWithoutMeasures_ClosedWhenItOpened() =>
        Assert.Equal(Now.AddDays(-90), CaseOccurrences.ClosedAtOf(Case(CaseStatus.Closed)));

    [Fact]
    public void Decide_NoCaseYet_OpensTheFirstOccurrence()
    {
        var decision = CaseOccurrences.Decide(null, null, Now, Grace);

        Assert.Equal((FlagAction.Open, 1), (decision.Action, decision.Occurrence));
    }

    [Theory]
    [InlineData(CaseStatus.Pending)]
    [InlineData(CaseStatus.MeasuresInForce)]
    public void Decide_CaseOpen_IgnoresTheFlagWhateverItsEvidence(CaseStatus status)
    {
        var open = Occurrence.Of(2, Case(status), Now.AddDays(-91));

        Assert.Equal(FlagAction.Ignore, CaseOccurrences.Decide(open, null, Now, Grace).Action);
        Assert.Equal(FlagAction.Ignore, CaseOccurrences.Decide(open, Now, Now, Grace).Action);
    }

    [Fact]
    public void Decide_CaseBeingOpened_IgnoresTheFlag()
    {
        var opening = Occurrence.Of(1, null, Now.AddSeconds(-30));

        Assert.Equal(FlagAction.Ignore, CaseOccurrences.Decide(opening, null, Now, Grace).Action);
    }

    [Fact]
    public void Decide_StaleClaimWithNoCase_OpensThatSameOccurrence()
    {
        var abandoned = Occurrence.Of(3, null, Now.AddMinutes(-5));

        var decision = CaseOccurrences.Decide(abandoned, null, Now, Grace);

        Assert.Equal((FlagAction.Open, 3), (decision.Action, decision.Occurrence));
    }

    [Fact]
    public void Decide_ClosedCaseAndAFlagOnAllEvidence_AsksForEvidenceSinceItClosed()
    {
        var closedAt = Now.AddDays(-2);
        var closed = Occurrence.Of(1, Case(CaseStatus.Closed) with { ClosedAt = closedAt }, Now.AddDays(-91));

        var decision = CaseOccurrences.Decide(closed, null, Now, Grace);

        Assert.Equal((FlagAction.Reassess, closedAt), (decision.Action, decision.EvidenceSince));
    }

    [Fact]
    public void Decide_ClosedCaseAndAFlagOnEvidenceFromBeforeItClosed_AsksAgainForEvidenceSinceItClosed()
    {
        // A flag for the previous occurrence's fresh evidence, arriving after the next one closed.
        var closedAt = Now.AddDays(-2);
        var closed = Occurrence.Of(2, Case(CaseStatus.Closed) with { ClosedAt = closedAt }, null);

        var decision = CaseOccurrences.Decide(closed, closedAt.AddDays(-10), Now, Grace);

        Assert.Equal((FlagAction.Reassess, closedAt), (decision.Action, decision.EvidenceSince));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3600)]
    public void Decide_ClosedCaseAndAFlagOnEvidenceSinceItClosed_OpensTheNextOccurrence(int secondsAfterClosing)
    {
        var closedAt = Now.AddDays(-2);
        var closed = Occurrence.Of(1, Case(CaseStatus.Closed) with { ClosedAt = closedAt }, Now.AddDays(-91));

        var decision = CaseOccurrences.Decide(closed, closedAt.AddSeconds(secondsAfterClosing), Now, Grace);

        Assert.Equal((FlagAction.Open, 2), (decision.Action, decision.Occurrence));
    }

    [Fact]
    public void Decide_OldClosedCaseWithoutClosingTime_CountsFromItsLastMeasuresEnd()
    {
        var ended = Now.AddDays(-10);
        var closed = Occurrence.Of(1, Case(CaseStatus.Closed, measuresEnd: ended), null);

        Assert.Equal(FlagAction.Reassess, CaseOccurrences.Decide(closed, ended.AddTicks(-1), Now, Grace).Action);
        Assert.Equal(FlagAction.Open, CaseOccurrences.Decide(closed, ended, Now, Grace).Action);
    }

    private static CaseRecord Case(CaseStatus status, DateTimeOffset? measuresEnd = null)
    {
        var openedAt = Now.AddDays(-90);
        var measures = measuresEnd is { } end
            ? new List<AppliedMeasure>
            {
                new(Uscc, "c", "customs", "CUSTOMS-AEO-REFUSED", "d", "b", openedAt, end.AddDays(-5)),
                new(Uscc, "c", "tax", "TAX-GRADE-LOWERED", "d", "b", openedAt, end),
            }
            : [];
        return new CaseRecord(
            CaseOccurrences.CaseIdFor(Memorandum, Uscc, 1), Uscc, "华夏示例食品有限公司", Memorandum, MemorandumKind.Punishment, CreditGrade.D, 20,
            ["customs", "tax"], status, openedAt, new ReviewOutcome("c", [], measures));
    }
}
