using System.Globalization;
using System.Text;
using Supervision.Domain.Ingestion;

namespace Supervision.Domain.Audit;

/// <summary>An audit entry in its chain: its position, the hash of the entry before it, and its own hash.</summary>
public sealed record ChainedAuditEntry(long Sequence, string PreviousHash, string Hash, AuditEntry Entry);

/// <summary>Where a chain first fails to hold, and how.</summary>
public sealed record ChainBreak(string Subject, long Sequence, string Problem);

/// <summary>
/// The hash chain behind the audit log: each entry's hash covers the previous entry's hash and
/// every field of the entry, so changing, removing or reordering any entry breaks every link
/// after it. Each subject (a case, an enterprise) has its own chain so that unrelated reviews
/// never wait on one another.
/// </summary>
public static class AuditChain
{
    public const string Genesis = "genesis";

    public static string Hash(string previousHash, long sequence, AuditEntry entry)
    {
        // A fixed, unambiguous layout (lengths before values), not a serializer's whim.
        var builder = new StringBuilder();
        foreach (var field in new[]
        {
            previousHash, sequence.ToString(CultureInfo.InvariantCulture), entry.Subject, entry.Action, entry.Actor,
            entry.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), entry.Detail, entry.InputsSha256,
        })
        {
            builder.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');
        }

        return ContentHash.Sha256Hex(builder.ToString());
    }

    /// <summary>The first link that does not hold, or null when the whole chain does.</summary>
    public static ChainBreak? Verify(string subject, IReadOnlyList<ChainedAuditEntry> entries, string? headHash) =>
        VerifyFrom(subject, 0, Genesis, entries, headHash);

    /// <summary>
    /// The first link that does not hold in a run of entries starting at <paramref name="firstSequence"/>,
    /// whose predecessor (already verified) hashes to <paramref name="previousHash"/>; null when the
    /// run holds. With <paramref name="headHash"/>, the run must end at the chain's head.
    /// </summary>
    public static ChainBreak? VerifyFrom(
        string subject, long firstSequence, string previousHash, IReadOnlyList<ChainedAuditEntry> entries, string? headHash)
    {
        var previous = previousHash;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var sequence = firstSequence + i;
            if (entry.Sequence != sequence)
            {
                return new ChainBreak(subject, sequence, $"entry {sequence} is missing (found {entry.Sequence} in its place)");
            }

            if (entry.PreviousHash != previous)
            {
                return new ChainBreak(
                    subject,
                    sequence,
                    $"entry {sequence} points to previous hash {Short(entry.PreviousHash)}, "
                    + $"but entry {sequence - 1} hashes to {Short(previous)}");
            }

            var recomputed = Hash(previous, sequence, entry.Entry);
            if (recomputed != entry.Hash)
            {
                return new ChainBreak(
                    subject,
                    sequence,
                    $"entry {sequence} ({entry.Entry.Action} by {entry.Entry.Actor}) was altered: "
                    + $"its content hashes to {Short(recomputed)}, its recorded hash is {Short(entry.Hash)}");
            }

            previous = entry.Hash;
        }

        var end = firstSequence + entries.Count;
        if (headHash is not null && headHash != previous)
        {
            return new ChainBreak(
                subject,
                end,
                $"the chain's head records hash {Short(headHash)} but the last entry hashes to {Short(previous)}: "
                + $"entries after {end - 1} were removed");
        }

        return null;
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
