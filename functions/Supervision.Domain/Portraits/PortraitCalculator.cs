using Supervision.Domain.Scoring;

namespace Supervision.Domain.Portraits;

/// <summary>
/// Computes a portrait from all of an enterprise's signals. The portrait is a pure function of
/// the signal set, so recomputing it after a duplicate delivery changes nothing.
/// </summary>
public sealed class PortraitCalculator(PortraitRules rules)
{
    /// <summary>How closely a decay crossing is found: the daily reassessment makes anything finer pointless.</summary>
    private static readonly TimeSpan DecayPrecision = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Fuses the opinion score with third-party credit evidence still valid at <paramref name="now"/>:
    /// a weighted mean in which public opinion weighs <see cref="PortraitRules.OpinionWeight"/> and
    /// each piece of evidence its source's trust. With no valid evidence the score is opinion alone.
    /// The portrait also says when it will next change by itself (<see cref="CreditPortrait.NextChangeAt"/>).
    /// </summary>
    public CreditPortrait Compute(
        string uscc,
        IEnumerable<Signal> signals,
        IEnumerable<CreditEvidence> credit,
        DateTimeOffset now,
        IReadOnlyDictionary<string, int>? reach = null)
    {
        var (all, evidence) = (signals.ToList(), credit.ToList());
        var portrait = Fuse(uscc, all, evidence, now, reach);
        return portrait with { NextChangeAt = NextChangeAfter(portrait, all, evidence, reach) };
    }

    /// <summary>
    /// The opinion portrait. <paramref name="reach"/> maps a signal's item (the first of its
    /// story) to how many items carried that story; absent means one.
    /// </summary>
    public CreditPortrait Compute(
        string uscc, IEnumerable<Signal> signals, DateTimeOffset now, IReadOnlyDictionary<string, int>? reach = null) =>
        Compute(uscc, signals, [], now, reach);

    private CreditPortrait Fuse(
        string uscc, List<Signal> signals, List<CreditEvidence> credit, DateTimeOffset now, IReadOnlyDictionary<string, int>? reach)
    {
        var opinion = Opinion(uscc, signals, now, reach);
        var valid = credit
            .Where(c => c.ValidUntil >= now && c.Trust > 0)
            .OrderBy(c => c.SourceId, StringComparer.Ordinal)
            .ThenBy(c => c.Kind, StringComparer.Ordinal)
            .ToList();
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
            CreditContributions = valid
                .Select(c => new CreditContribution(
                    c.SourceId, c.Kind, c.Value, c.Normalised, Math.Round(c.Trust / weight, 4), c.FileSha256, c.Detail))
                .ToList(),
        };
    }

    private CreditPortrait Opinion(
        string uscc, List<Signal> all, DateTimeOffset now, IReadOnlyDictionary<string, int>? reach)
    {
        var novelty = Novelty(all);
        var contributions = all
            .Select(s =>
            {
                var carriedBy = Math.Max(1, reach?.GetValueOrDefault(s.ItemId, 1) ?? 1);
                return new PortraitContribution(
                    s.ItemId,
                    s.SourceId,
                    s.RawSha256,
                    Risk(s, now, ReachFactor(carriedBy), novelty[s.ItemId]),
                    s.Title,
                    RiskTaxonomy.Of(s.Category).Key,
                    carriedBy,
                    novelty[s.ItemId]);
            })
            .Where(c => c.Risk > 0)
            .OrderByDescending(c => c.Risk)
            .ThenBy(c => c.ItemId, StringComparer.Ordinal)
            .ToList();

        var riskIndex = contributions.Sum(c => c.Risk);
        var score = Math.Clamp(100 - (rules.PointsPerRiskUnit * riskIndex), 0, 100);
        return new CreditPortrait(uscc, Math.Round(score, 2), GradeFor(score), Math.Round(riskIndex, 4), all.Count, contributions, now);
    }

    /// <summary>
    /// The first moment after the portrait's time at which its grade changes with no new evidence,
    /// or null when nothing will change by itself. Two things move a grade with time: a credit
    /// record stops counting the tick after its ValidUntil, and decay lowers every signal's risk.
    /// Until the next expiry the set of records in force is fixed and decay only raises the score,
    /// so the grade moves at most one way and the first moment it differs can be found by bisection
    /// (a closed form would not do: signals fade at their categories' different half-lives). The
    /// search stops at the next expiry, which is itself a change, and at
    /// <see cref="PortraitRules.MaxReassessInterval"/>, beyond which a decay that will still move the
    /// grade is scheduled as a reassessment that searches again; a grade that no decay can move
    /// (all adverse risk gone would leave it the same) waits only for the next expiry.
    /// </summary>
    private DateTimeOffset? NextChangeAfter(
        CreditPortrait portrait, List<Signal> signals, List<CreditEvidence> credit, IReadOnlyDictionary<string, int>? reach)
    {
        var now = portrait.ComputedAt;
        var expiry = credit
            .Where(c => c.Trust > 0 && c.ValidUntil >= now && c.ValidUntil < DateTimeOffset.MaxValue)
            .Select(c => (DateTimeOffset?)c.ValidUntil.AddTicks(1))
            .Min();
        var fadeless = Fuse(portrait.Uscc, [], credit, now, reach).Grade;
        if (portrait.Contributions.Count == 0 || fadeless == portrait.Grade)
        {
            return expiry;
        }

        var horizon = now + rules.MaxReassessInterval;
        var end = expiry is { } e && e <= horizon ? e.AddTicks(-1) : horizon;
        CreditGrade GradeAt(DateTimeOffset t) => Fuse(portrait.Uscc, signals, credit, t, reach).Grade;
        if (GradeAt(end) == portrait.Grade)
        {
            return expiry is { } next && next <= horizon ? next : horizon;
        }

        var (low, high) = (now, end);
        while (high - low > DecayPrecision)
        {
            var middle = low + ((high - low) / 2);
            (low, high) = GradeAt(middle) == portrait.Grade ? (middle, high) : (low, middle);
        }

        return high;
    }

    public double ReachFactor(int carriedBy) => Math.Min(rules.MaxReachFactor, 1 + (rules.ReachWeight * Math.Log2(Math.Max(1, carriedBy))));

    /// <summary>
    /// Per signal: 1 for a source's first adverse signal of a category within the novelty
    /// window, the repeat weight for that source's later ones (a follow-up retells the trouble it
    /// reported; an independent source corroborates it and counts fully). Ordered by time, then
    /// item, so the result does not depend on the order the store returns signals in.
    /// </summary>
    private Dictionary<string, double> Novelty(List<Signal> signals)
    {
        var novelty = new Dictionary<string, double>(StringComparer.Ordinal);
        var lastNew = new Dictionary<(string SourceId, RiskCategory Category), DateTimeOffset>();
        foreach (var signal in signals.OrderBy(s => s.ObservedAt).ThenBy(s => s.ItemId, StringComparer.Ordinal))
        {
            var adverse = signal.NegativeProbability > rules.NeutralProbability;
            var key = (signal.SourceId, signal.Category);
            if (adverse && lastNew.TryGetValue(key, out var since) && signal.ObservedAt - since < rules.NoveltyWindow)
            {
                novelty[signal.ItemId] = rules.RepeatNovelty;
                continue;
            }

            if (adverse)
            {
                lastNew[key] = signal.ObservedAt;
            }

            novelty[signal.ItemId] = 1;
        }

        return novelty;
    }

    public CreditGrade GradeFor(double score) => score switch
    {
        _ when score >= rules.GradeAMinimum => CreditGrade.A,
        _ when score >= rules.GradeBMinimum => CreditGrade.B,
        _ when score >= rules.GradeCMinimum => CreditGrade.C,
        _ => CreditGrade.D,
    };

    private double Risk(Signal signal, DateTimeOffset now, double reachFactor, double novelty)
    {
        // Only the part of the probability above neutral is adverse evidence, rescaled to 0..1.
        var adverse = Math.Max(0, signal.NegativeProbability - rules.NeutralProbability) / (1 - rules.NeutralProbability);
        // News fades at the pace of its risk category (a tax-evasion finding stays relevant far
        // longer than a service complaint); uncategorised signals fade at the configured pace.
        var halfLife = signal.Category == RiskCategory.None ? rules.RiskHalfLife : RiskTaxonomy.Of(signal.Category).HalfLife;
        var age = now - signal.ObservedAt;
        var decay = age <= TimeSpan.Zero ? 1 : Math.Pow(0.5, age / halfLife);
        return adverse * reachFactor * novelty * Math.Clamp(signal.TrustWeight, 0, 1) * decay;
    }
}
