using Supervision.Domain.Scoring;

namespace Supervision.Domain.Portraits;

/// <summary>
/// Computes a portrait from all of an enterprise's signals. The portrait is a pure function of
/// the signal set, so recomputing it after a duplicate delivery changes nothing.
/// </summary>
public sealed class PortraitCalculator(PortraitRules rules)
{
    /// <summary>
    /// Fuses the opinion score with third-party credit evidence still valid at <paramref name="now"/>:
    /// a weighted mean in which public opinion weighs <see cref="PortraitRules.OpinionWeight"/> and
    /// each piece of evidence its source's trust. With no valid evidence the score is opinion alone.
    /// </summary>
    public CreditPortrait Compute(string uscc, IEnumerable<Signal> signals, IEnumerable<CreditEvidence> credit, DateTimeOffset now)
    {
        var opinion = Compute(uscc, signals, now);
        var valid = credit.Where(c => c.ValidUntil >= now && c.Trust > 0).OrderBy(c => c.SourceId, StringComparer.Ordinal).ThenBy(c => c.Kind, StringComparer.Ordinal).ToList();
        if (valid.Count == 0)
        {
            return opinion;
        }

        var weight = rules.OpinionWeight + valid.Sum(c => c.Trust);
        var fused = Math.Clamp(((rules.OpinionWeight * opinion.Score) + valid.Sum(c => c.Trust * c.Normalised)) / weight, 0, 100);
        return opinion with
        {
            Score = Math.Round(fused, 2),
            Grade = GradeFor(fused),
            OpinionScore = opinion.Score,
            CreditContributions = valid.Select(c => new CreditContribution(c.SourceId, c.Kind, c.Value, c.Normalised, Math.Round(c.Trust / weight, 4), c.FileSha256, c.Detail)).ToList(),
        };
    }

    public CreditPortrait Compute(string uscc, IEnumerable<Signal> signals, DateTimeOffset now)
    {
        var contributions = signals
            .Select(s => new PortraitContribution(s.ItemId, s.SourceId, s.RawSha256, Risk(s, now), s.Title, RiskTaxonomy.Of(s.Category).Key))
            .Where(c => c.Risk > 0)
            .OrderByDescending(c => c.Risk)
            .ThenBy(c => c.ItemId, StringComparer.Ordinal)
            .ToList();

        var riskIndex = contributions.Sum(c => c.Risk);
        var score = Math.Clamp(100 - (rules.PointsPerRiskUnit * riskIndex), 0, 100);
        var signalCount = signals.Count();
        return new CreditPortrait(uscc, Math.Round(score, 2), GradeFor(score), Math.Round(riskIndex, 4), signalCount, contributions, now);
    }

    public CreditGrade GradeFor(double score) => score switch
    {
        _ when score >= rules.GradeAMinimum => CreditGrade.A,
        _ when score >= rules.GradeBMinimum => CreditGrade.B,
        _ when score >= rules.GradeCMinimum => CreditGrade.C,
        _ => CreditGrade.D,
    };

    private double Risk(Signal signal, DateTimeOffset now)
    {
        // Only the part of the probability above neutral is adverse evidence, rescaled to 0..1.
        var adverse = Math.Max(0, signal.NegativeProbability - rules.NeutralProbability) / (1 - rules.NeutralProbability);
        // News fades at the pace of its risk category (a tax-evasion finding stays relevant far
        // longer than a service complaint); uncategorised signals fade at the configured pace.
        var halfLife = signal.Category == RiskCategory.None ? rules.RiskHalfLife : RiskTaxonomy.Of(signal.Category).HalfLife;
        var age = now - signal.ObservedAt;
        var decay = age <= TimeSpan.Zero ? 1 : Math.Pow(0.5, age / halfLife);
        return adverse * Math.Clamp(signal.TrustWeight, 0, 1) * decay;
    }
}
