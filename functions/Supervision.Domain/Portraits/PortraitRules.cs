namespace Supervision.Domain.Portraits;

/// <summary>How signals become a credit portrait. Values come from configuration (section "Portraits").</summary>
public sealed class PortraitRules
{
    public const string SectionName = "Portraits";

    /// <summary>A signal's weight halves every this long.</summary>
    public TimeSpan RiskHalfLife { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Score points lost per unit of risk index.</summary>
    public double PointsPerRiskUnit { get; set; } = 15;

    /// <summary>
    /// How much reach adds: a story carried by n items weighs 1 + ReachWeight·log2(n), at most
    /// <see cref="MaxReachFactor"/> (two outlets 1.5×, four 2×).
    /// </summary>
    public double ReachWeight { get; set; } = 0.5;

    public double MaxReachFactor { get; set; } = 2.5;

    /// <summary>
    /// Novelty: a signal of the same risk category from the same source as an earlier one about
    /// the same enterprise within this window adds only <see cref="RepeatNovelty"/> of its risk:
    /// the same trouble retold by the same outlet is not a second trouble.
    /// </summary>
    public TimeSpan NoveltyWindow { get; set; } = TimeSpan.FromDays(3);

    public double RepeatNovelty { get; set; } = 0.5;

    /// <summary>Negative probability at or below which a signal adds no risk.</summary>
    public double NeutralProbability { get; set; } = 0.5;

    /// <summary>How much public opinion weighs against one fully trusted piece of third-party credit evidence.</summary>
    public double OpinionWeight { get; set; } = 2;

    /// <summary>
    /// The longest a portrait whose grade decay will still move waits for its next reassessment:
    /// bounds the search for the moment decay crosses a grade boundary.
    /// </summary>
    public TimeSpan MaxReassessInterval { get; set; } = TimeSpan.FromDays(90);

    public double GradeAMinimum { get; set; } = 85;

    public double GradeBMinimum { get; set; } = 70;

    public double GradeCMinimum { get; set; } = 55;
}
