using System.Globalization;

namespace Supervision.Domain.Reviews;

/// <summary>How far the latest case of an enterprise under a memorandum has got.</summary>
public enum OccurrenceState
{
    /// <summary>Claimed by a starter, its case record not yet written.</summary>
    Opening,

    /// <summary>Under review or with measures in force.</summary>
    Open,

    /// <summary>Every measure ended or was lifted, or none was imposed.</summary>
    Closed,
}

/// <summary>
/// The latest case of an enterprise under a memorandum: its occurrence number, its state, and
/// since when it is in that state (claimed at for <see cref="OccurrenceState.Opening"/>, closed at
/// for <see cref="OccurrenceState.Closed"/>).
/// </summary>
public sealed record Occurrence(int Number, OccurrenceState State, DateTimeOffset Since)
{
    /// <summary>The occurrence as its rows tell it: a case record if one was written, else the claim on it.</summary>
    public static Occurrence Of(int number, CaseRecord? record, DateTimeOffset? claimedAt) => record switch
    {
        null => new(number, OccurrenceState.Opening, claimedAt ?? DateTimeOffset.MinValue),
        { Status: CaseStatus.Closed } => new(number, OccurrenceState.Closed, CaseOccurrences.ClosedAtOf(record)),
        _ => new(number, OccurrenceState.Open, record.OpenedAt),
    };
}

/// <summary>What the reviews stage does with "enterprise flagged" under one memorandum.</summary>
public enum FlagAction
{
    /// <summary>Open the occurrence named (a new case, or a stale claim on one taken over).</summary>
    Open,

    /// <summary>A case is open or being opened: the flag is a repeat of what it covers.</summary>
    Ignore,

    /// <summary>
    /// The latest case closed and the flag rests on evidence from before: ask the portraits stage
    /// for a portrait of the evidence that arrived since it closed, under this memorandum only.
    /// </summary>
    Reassess,
}

/// <summary>The decision, with the occurrence to open or the time evidence must have arrived since.</summary>
public sealed record FlagDecision(FlagAction Action, int Occurrence, DateTimeOffset? EvidenceSince, string Reason);

/// <summary>
/// A case is unique while it is open: from opening until its last measure ends or is lifted. Once
/// it has closed, the enterprise may be reviewed again under the same memorandum, but only on
/// evidence that arrived after it closed. Each case is an occurrence: the first keeps the id cases
/// always had (<c>{memorandum}-{uscc}</c>), later ones add their number (<c>{memorandum}-{uscc}-{n}</c>).
/// </summary>
public static class CaseOccurrences
{
    /// <summary>The case id of an occurrence (1 for the first).</summary>
    public static string CaseIdFor(string memorandumId, string uscc, int occurrence) =>
        occurrence switch
        {
            < 1 => throw new ArgumentOutOfRangeException(nameof(occurrence), occurrence, "occurrences count from 1"),
            1 => ReviewNames.CaseIdFor(memorandumId, uscc),
            _ => string.Create(CultureInfo.InvariantCulture, $"{ReviewNames.CaseIdFor(memorandumId, uscc)}-{occurrence}"),
        };

    /// <summary>Which occurrence of this memorandum and enterprise a case id names, or null when it names none.</summary>
    public static int? OccurrenceOf(string caseId, string memorandumId, string uscc)
    {
        var first = ReviewNames.CaseIdFor(memorandumId, uscc);
        if (caseId == first)
        {
            return 1;
        }

        if (!caseId.StartsWith(first + "-", StringComparison.Ordinal))
        {
            return null;
        }

        var suffix = caseId[(first.Length + 1)..];
        return suffix.Length > 0 && suffix[0] != '0'
            && int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 2
            ? n
            : null;
    }

    /// <summary>
    /// When a closed case closed. Cases closed before that was recorded count as closed when
    /// their last measure ended, or, with no measure, when they opened.
    /// </summary>
    public static DateTimeOffset ClosedAtOf(CaseRecord record) =>
        record.ClosedAt
        ?? (record.Outcome?.Measures is { Count: > 0 } measures ? measures.Max(m => m.EndsAt) : record.OpenedAt);

    /// <summary>
    /// What to do with a flag under a memorandum, given the latest occurrence (null: none yet) and
    /// the time the flag's evidence arrived since (null: all the enterprise's evidence). A claim
    /// older than <paramref name="claimGrace"/> with no case record is a starter that died before
    /// starting; it is taken over (the start itself refuses an instance that exists).
    /// </summary>
    public static FlagDecision Decide(Occurrence? latest, DateTimeOffset? evidenceSince, DateTimeOffset now, TimeSpan claimGrace) =>
        latest switch
        {
            null => new(FlagAction.Open, 1, null, "no case yet under this memorandum"),
            { State: OccurrenceState.Open } => new(FlagAction.Ignore, latest.Number, null, $"case {latest.Number} is open"),
            { State: OccurrenceState.Opening } when now - latest.Since < claimGrace =>
                new(FlagAction.Ignore, latest.Number, null, $"case {latest.Number} is being opened"),
            { State: OccurrenceState.Opening } =>
                new(FlagAction.Open, latest.Number, null, $"the claim on case {latest.Number} was not followed by a start; taken over"),
            _ when evidenceSince is not { } since || since < latest.Since => new(
                FlagAction.Reassess,
                latest.Number,
                latest.Since,
                $"case {latest.Number} closed; only evidence that arrived since may open another"),
            _ => new(FlagAction.Open, latest.Number + 1, evidenceSince, $"case {latest.Number} closed and evidence arrived since"),
        };
}
