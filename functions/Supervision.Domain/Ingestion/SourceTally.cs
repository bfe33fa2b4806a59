using Supervision.Domain.Text;

namespace Supervision.Domain.Ingestion;

/// <summary>
/// What one row of a source's ledger contributes to its record: an item (with its duplicate kind,
/// whether it was linked or confirmed, and its delay bucket), or one quarantined input.
/// </summary>
public sealed record LedgerFacts(
    bool IsItem, DuplicateKind? Duplicate, bool? Linked, bool? Confirmed, int? DelayBucket, bool IsQuarantined)
{
    public static readonly LedgerFacts Quarantine = new(false, null, null, null, null, true);

    /// <summary>What went wrong reading the item's bytes as text.</summary>
    public DecodingIssues Decoding { get; init; }
}

/// <summary>
/// A source's record as running sums of <see cref="LedgerFacts"/>: the counters kept beside the
/// ledger, and the difference one row's change makes to them.
/// </summary>
public sealed class SourceTally
{
    public long Items { get; set; }

    public long ExactDuplicates { get; set; }

    public long NearDuplicates { get; set; }

    public long Linked { get; set; }

    public long Unlinked { get; set; }

    public long Confirmed { get; set; }

    public long NotConfirmed { get; set; }

    public long Quarantined { get; set; }

    /// <summary>Items with invalid bytes replaced in decoding (<see cref="DecodingIssues.InvalidBytesReplaced"/>).</summary>
    public long InvalidBytesReplaced { get; set; }

    /// <summary>Items whose declared encoding was wrong (<see cref="DecodingIssues.DeclarationWrong"/>).</summary>
    public long DeclarationWrong { get; set; }

    public DelayHistogram Delays { get; init; } = new();

    public bool IsZero =>
        Items == 0 && ExactDuplicates == 0 && NearDuplicates == 0 && Linked == 0 && Unlinked == 0 && Confirmed == 0
        && NotConfirmed == 0 && Quarantined == 0 && InvalidBytesReplaced == 0 && DeclarationWrong == 0 && Delays.IsEmpty;

    /// <summary>Adds one row's facts (sign +1) or takes them away (sign -1).</summary>
    public void Apply(LedgerFacts facts, int sign)
    {
        Quarantined += facts.IsQuarantined ? sign : 0;
        if (!facts.IsItem)
        {
            return;
        }

        Items += sign;
        ExactDuplicates += facts.Duplicate == DuplicateKind.Exact ? sign : 0;
        NearDuplicates += facts.Duplicate == DuplicateKind.Near ? sign : 0;
        Linked += facts.Linked == true ? sign : 0;
        Unlinked += facts.Linked == false ? sign : 0;
        Confirmed += facts.Confirmed == true ? sign : 0;
        NotConfirmed += facts.Confirmed == false ? sign : 0;
        InvalidBytesReplaced += facts.Decoding.HasFlag(DecodingIssues.InvalidBytesReplaced) ? sign : 0;
        DeclarationWrong += facts.Decoding.HasFlag(DecodingIssues.DeclarationWrong) ? sign : 0;
        if (facts.DelayBucket is { } bucket)
        {
            Delays.Add(bucket, sign);
        }
    }

    public void Add(SourceTally other)
    {
        Items += other.Items;
        ExactDuplicates += other.ExactDuplicates;
        NearDuplicates += other.NearDuplicates;
        Linked += other.Linked;
        Unlinked += other.Unlinked;
        Confirmed += other.Confirmed;
        NotConfirmed += other.NotConfirmed;
        Quarantined += other.Quarantined;
        InvalidBytesReplaced += other.InvalidBytesReplaced;
        DeclarationWrong += other.DeclarationWrong;
        Delays.Add(other.Delays);
    }

    public SourceStatistics ToStatistics(string sourceId) => new(
        sourceId,
        checked((int)Items),
        checked((int)ExactDuplicates),
        checked((int)NearDuplicates),
        checked((int)Linked),
        checked((int)Unlinked),
        Delays.Median(),
        checked((int)Quarantined),
        checked((int)Confirmed),
        checked((int)NotConfirmed))
    {
        InvalidBytesReplaced = checked((int)InvalidBytesReplaced),
        DeclarationWrong = checked((int)DeclarationWrong),
    };
}
