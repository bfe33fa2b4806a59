using Supervision.Domain.Portraits;

namespace Supervision.Domain.Tests;

/// <summary>When a portrait changes by itself: a credit record stops counting, or decay crosses a grade boundary.</summary>
public class PortraitNextChangeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly PortraitCalculator calculator = new(new PortraitRules());

    [Fact]
    public void Compute_NoAdverseEvidenceAndNoRecords_NothingChangesByItself()
    {
        var portrait = calculator.Compute("U", [Signal("a", 0.2, Now)], Now);

        Assert.Null(portrait.NextChangeAt);
    }

    [Fact]
    public void Compute_OnlyAdverseRecordExpires_ChangesTheTickAfterItsValidityAndMovesGrade()
    {
        var until = Now.AddDays(10);
        CreditEvidence[] credit = [Authority(until)];

        var portrait = calculator.Compute("U", [], credit, Now);
        var after = calculator.Compute("U", [], credit, portrait.NextChangeAt!.Value);

        Assert.Equal(until.AddTicks(1), portrait.NextChangeAt);
        Assert.Equal(CreditGrade.C, portrait.Grade);
        Assert.Equal(CreditGrade.A, after.Grade);
        Assert.Null(after.NextChangeAt);
    }

    [Fact]
    public void Compute_AdverseSignalsDecay_ChangesWhenTheGradeFirstMoves()
    {
        // Risk 4.5 (score 32.5, D) halves every 14 days: it reaches C's 55 at 3.0, after 14·log2(1.5) ≈ 8.19 days.
        var portrait = calculator.Compute("U", FiveSources(), Now);

        var at = Assert.NotNull(portrait.NextChangeAt);
        Assert.Equal(CreditGrade.D, portrait.Grade);
        Assert.InRange(at - Now, TimeSpan.FromDays(8.18), TimeSpan.FromDays(8.20));
        Assert.Equal(CreditGrade.C, calculator.Compute("U", FiveSources(), at).Grade);
        Assert.Equal(CreditGrade.D, calculator.Compute("U", FiveSources(), at.AddMinutes(-2)).Grade);
    }

    [Fact]
    public void Compute_RecordExpiresBeforeDecayMovesGrade_ChangesAtTheExpiry()
    {
        var until = Now.AddDays(2);

        var portrait = calculator.Compute("U", FiveSources(), [Authority(until)], Now);

        Assert.Equal(until.AddTicks(1), portrait.NextChangeAt);
    }

    [Fact]
    public void Compute_DecayCrossingBeyondTheInterval_IsReassessedAtTheInterval()
    {
        var rules = new PortraitRules { MaxReassessInterval = TimeSpan.FromDays(1) };

        var portrait = new PortraitCalculator(rules).Compute("U", FiveSources(), Now);

        Assert.Equal(Now.AddDays(1), portrait.NextChangeAt);
    }

    [Fact]
    public void Compute_GradeNoDecayCanMove_WaitsOnlyForTheNextExpiry()
    {
        // Slightly adverse opinion (grade A already) and a good rating: fading risk cannot lift it further.
        var until = Now.AddDays(40);
        CreditEvidence[] credit = [new("association", "AssociationRating", "AAA", 100, 1, until, "f", "AAA")];

        var portrait = calculator.Compute("U", [Signal("a", 0.6, Now)], credit, Now);

        Assert.Equal(CreditGrade.A, portrait.Grade);
        Assert.NotEmpty(portrait.Contributions);
        Assert.Equal(until.AddTicks(1), portrait.NextChangeAt);
    }

    private static CreditEvidence Authority(DateTimeOffset until) =>
        new("authority", "GovernmentRecord", "administrative penalty", 0, 1, until, "file", "fined");

    private static List<Signal> FiveSources() =>
        Enumerable.Range(0, 5).Select(i => Signal($"item{i}", 0.95, Now) with { SourceId = $"source{i}" }).ToList();

    private static Signal Signal(string id, double negative, DateTimeOffset observedAt) =>
        new("U", id, "source", "title", negative, 1, observedAt, "raw-" + id, "test", "named");
}
