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
        var signals = Enumerable.Range(0, 5).Select(i => Signal($"item{i}", 0.95, Now.AddHours(-i))).ToList();

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

    private static Signal Signal(string itemId, double probability, DateTimeOffset at) =>
        new("U", itemId, "source", "title", probability, 1.0, at, "raw-" + itemId, "model", "test");
}
