namespace Supervision.Domain.Portraits;

/// <summary>Credit grades, best first. D opens joint-punishment reviews; A may open incentives.</summary>
public enum CreditGrade
{
    A,
    B,
    C,
    D,
}

/// <summary>An enterprise's credit standing at one moment, with every contribution that made it.</summary>
public sealed record CreditPortrait(
    string Uscc,
    double Score,
    CreditGrade Grade,
    double RiskIndex,
    int SignalCount,
    IReadOnlyList<PortraitContribution> Contributions,
    DateTimeOffset ComputedAt);

/// <summary>What one signal added to the risk index, and where it came from.</summary>
public sealed record PortraitContribution(string ItemId, string SourceId, string RawSha256, double Risk, string Title);
