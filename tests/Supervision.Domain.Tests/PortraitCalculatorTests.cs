using Supervision.Domain.Portraits;

namespace Supervision.Domain.Tests;

public class PortraitCalculatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private readonly PortraitCalculator calculator = new(new PortraitRules());

    [Fact]
    public void Compute_NoAdverseSignals_IsGradeAWithFullScore()
    {
        var portrait = calculator.Compute("U", [Signal("a", 0.2, Now)], Now);

        Assert.Equal(100, portrait.Score);
        Assert.Equal(CreditGrade.A, portrait.Grade);
        Assert.Empty(portrait.Contributions);
    }

    [Fact]
    public void Compute_SeveralStronglyAdverseSignals_FallsToGradeD()
    {
        // Five independent sources: a source's own follow-ups would count half (novelty).
        var signals = Enumerable.Range(0, 5)
            .Select(i => Signal($"item{i}", 0.95, Now.AddHours(-i)) with { SourceId = $"source{i}" })
            .ToList();

        var portrait = calculator.Compute("U", signals, Now);

        Assert.Equal(CreditGrade.D, portrait.Grade);
        Assert.Equal(5, portrait.Contributions.Count);
        Assert.All(portrait.Contributions, c => Assert.Equal("raw-" + c.ItemId, c.RawSha256));
    }

    [Fact]
    public void Compute_SameSignalTwice_EqualsOnce()
    {
        // The store keys signals by item, so a duplicate delivery cannot add a second copy; the
        // calculator must give the same answer from the same set, however often it runs.
        var signals = new[] { Signal("a", 0.9, Now), Signal("b", 0.8, Now) };

        Assert.Equal(calculator.Compute("U", signals, Now).Score, calculator.Compute("U", signals.Reverse(), Now).Score);
    }

    [Fact]
    public void Compute_OldSignal_CountsLessThanNewOne()
    {
        var fresh = calculator.Compute("U", [Signal("a", 0.9, Now)], Now);
        var old = calculator.Compute("U", [Signal("a", 0.9, Now.AddDays(-28))], Now);

        Assert.True(old.RiskIndex < fresh.RiskIndex / 3.9, $"{old.RiskIndex} vs {fresh.RiskIndex}");
    }

    [Fact]
    public void Compute_BureauAndAssociationEvidence_AreFusedWithOpinionAndExplained()
    {
        CreditEvidence[] credit =
        [
            new("bureau", "CreditScoreRecord", "412", 10, 1.0, Now.AddDays(30), "file-a", "score 412 (350–950) as of 2026-11-01"),
            new("association", "AssociationRating", "C", 20, 0.5, Now.AddDays(30), "file-b", "rating C, food, valid until 2026-12-28"),
            new("stale", "CreditScoreRecord", "900", 92, 1.0, Now.AddDays(-1), "file-c", "expired"),
        ];

        var portrait = calculator.Compute("U", [Signal("a", 0.2, Now)], credit, Now);

        // (2 × 100 + 1.0 × 10 + 0.5 × 20) / 3.5 = 62.86: opinion alone says A, the bureaus pull it to C.
        Assert.Equal(100, portrait.OpinionScore);
        Assert.Equal(62.86, portrait.Score);
        Assert.Equal(CreditGrade.C, portrait.Grade);
        Assert.Equal(["association", "bureau"], portrait.CreditContributions.Select(c => c.SourceId));
        Assert.Equal("file-a", portrait.CreditContributions.Single(c => c.SourceId == "bureau").FileSha256);
    }

    [Fact]
    public void Compute_NoValidCreditEvidence_IsOpinionAlone()
    {
        var opinion = calculator.Compute("U", [Signal("a", 0.9, Now)], Now);
        var fused = calculator.Compute("U", [Signal("a", 0.9, Now)], [], Now);

        Assert.Equal((opinion.Score, opinion.Grade, opinion.Score), (fused.Score, fused.Grade, fused.OpinionScore));
        Assert.Empty(fused.CreditContributions);
    }

    [Theory]
    [InlineData("AAA", 100)]
    [InlineData("BBB", 70)]
    [InlineData("C", 20)]
    public void NormaliseRating_MapsTheScale(string rating, double expected) =>
        Assert.Equal(expected, Supervision.Domain.Credit.CreditRecordReader.NormaliseRating(rating));

    private static Signal Signal(string itemId, double probability, DateTimeOffset at) =>
        new("U", itemId, "source", "title", probability, 1.0, at, "raw-" + itemId, "model", "test");
}
