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
    DateTimeOffset ComputedAt)
{
    /// <summary>The score from public opinion alone, before third-party credit evidence is fused in.</summary>
    public double OpinionScore { get; init; } = Score;

    /// <summary>Third-party credit evidence (bureau scores, association ratings) and what each weighed.</summary>
    public IReadOnlyList<CreditContribution> CreditContributions { get; init; } = [];

    /// <summary>How many credit records there were when this was computed (records are only added), to tell newer from older.</summary>
    public int CreditRecordCount { get; init; }

    /// <summary>
    /// When the grade next changes with no new evidence (a credit record stops counting, or decay
    /// crosses a grade boundary); null when nothing will change it by itself. Portraits stored
    /// before this was recorded have none.
    /// </summary>
    public DateTimeOffset? NextChangeAt { get; init; }
}

/// <summary>
/// One piece of third-party credit evidence as it entered the score: the source's own value,
/// that value on a 0–100 scale, the weight it carried (the source's trust), and the file it came in.
/// </summary>
public sealed record CreditContribution(
    string SourceId,
    string Kind,
    string Value,
    double Normalised,
    double Weight,
    string FileSha256,
    string Detail);

/// <summary>A credit record ready to fuse: already normalised to 0–100 by its source's scale.</summary>
public sealed record CreditEvidence(
    string SourceId,
    string Kind,
    string Value,
    double Normalised,
    double Trust,
    DateTimeOffset ValidUntil,
    string FileSha256,
    string Detail);

/// <summary>What one signal added to the risk index, and where it came from.</summary>
/// <summary>
/// One signal's part in the opinion risk index: risk = severity (the adverse part of its
/// probability) × reach × novelty × its source's trust × recency decay.
/// </summary>
public sealed record PortraitContribution(
    string ItemId,
    string SourceId,
    string RawSha256,
    double Risk,
    string Title,
    string Category = "none",
    int Reach = 1,
    double Novelty = 1);
