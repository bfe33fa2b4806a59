using System.Numerics;
using Supervision.Domain.Enterprises;

namespace Supervision.Domain.Ingestion;

/// <summary>
/// SimHash fingerprints over character shingles: reposts of one story by many outlets (a word
/// changed, a suffix added, full-width punctuation) land within a few bits of each other, in
/// Chinese and in English alike, without segmenting words.
/// </summary>
public static class SimHash
{
    /// <summary>Fingerprints within this many differing bits are the same story.</summary>
    public const int MaxDistance = 3;

    /// <summary>Shorter texts have too few shingles for a stable fingerprint; only exact matching applies.</summary>
    public const int MinimumShingles = 12;

    private const int ShingleLength = 3;

    /// <summary>The form both fingerprints and exact keys are computed from; compute it once per item.</summary>
    public static string Normalise(string text) => NameNormaliser.NormaliseText(text);

    public static ulong? Fingerprint(string text) => FingerprintOfNormalised(Normalise(text));

    public static ulong? FingerprintOfNormalised(string normalised)
    {
        var shingles = normalised.Length - ShingleLength + 1;
        if (shingles < MinimumShingles)
        {
            return null;
        }

        Span<int> weights = stackalloc int[64];
        for (var i = 0; i < shingles; i++)
        {
            var hash = Fnv1a(normalised.AsSpan(i, ShingleLength));
            for (var bit = 0; bit < 64; bit++)
            {
                // +1 for a set bit, -1 for a clear one, without a branch.
                weights[bit] += ((int)(hash >> bit) & 1) * 2 - 1;
            }
        }

        ulong fingerprint = 0;
        for (var bit = 0; bit < 64; bit++)
        {
            if (weights[bit] > 0)
            {
                fingerprint |= 1UL << bit;
            }
        }

        return fingerprint;
    }

    public static int Distance(ulong a, ulong b) => BitOperations.PopCount(a ^ b);

    /// <summary>
    /// The four 16-bit bands of a fingerprint. Two fingerprints within three bits agree on at
    /// least one band (pigeonhole), so looking up the four bands finds every near duplicate.
    /// </summary>
    public static IEnumerable<(int Band, ushort Value)> Bands(ulong fingerprint)
    {
        for (var band = 0; band < 4; band++)
        {
            yield return (band, (ushort)(fingerprint >> (band * 16)));
        }
    }

    /// <summary>The identity of a text for exact duplicate detection: its normalised form, hashed.</summary>
    public static string ExactKey(string text) => ExactKeyOfNormalised(Normalise(text));

    public static string ExactKeyOfNormalised(string normalised) => ContentHash.Sha256Hex(normalised)[..32];

    private static ulong Fnv1a(ReadOnlySpan<char> value)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        // FNV's low bits mix poorly for short inputs; a final avalanche spreads them.
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return hash;
    }
}

/// <summary>How an item relates to the stories already seen.</summary>
public enum DuplicateKind
{
    New,
    Exact,
    Near,
}

/// <summary>The story an item belongs to, and whether it started it.</summary>
public sealed record StoryAssignment(string StoryId, DuplicateKind Kind, int Distance);

/// <summary>
/// An in-memory story index (the storage-backed one keeps the same bands in a table): finds the
/// story an item repeats, or starts a new one.
/// </summary>
public sealed class NearDuplicateIndex
{
    private readonly Dictionary<string, string> byExactKey = new(StringComparer.Ordinal);
    private readonly FingerprintBands bands = new();

    public StoryAssignment Assign(string itemId, string text)
    {
        var normalised = SimHash.Normalise(text);
        var exact = SimHash.ExactKeyOfNormalised(normalised);
        if (byExactKey.TryGetValue(exact, out var story))
        {
            return new StoryAssignment(story, DuplicateKind.Exact, 0);
        }

        var fingerprint = SimHash.FingerprintOfNormalised(normalised);
        if (fingerprint is { } print && bands.Nearest(print) is { } near)
        {
            byExactKey[exact] = near.StoryId;
            return new StoryAssignment(near.StoryId, DuplicateKind.Near, near.Distance);
        }

        byExactKey[exact] = itemId;
        if (fingerprint is { } added)
        {
            bands.Add(added, itemId);
        }

        return new StoryAssignment(itemId, DuplicateKind.New, 0);
    }
}

/// <summary>
/// Story fingerprints filed under their four bands: a lookup compares a fingerprint only with
/// those sharing a band, which by <see cref="SimHash.Bands"/> includes every one within
/// <see cref="SimHash.MaxDistance"/> bits.
/// </summary>
public sealed class FingerprintBands
{
    private readonly Dictionary<(int, ushort), List<(ulong Fingerprint, string StoryId)>> byBand = [];

    public void Add(ulong fingerprint, string storyId)
    {
        foreach (var band in SimHash.Bands(fingerprint))
        {
            if (!byBand.TryGetValue(band, out var list))
            {
                byBand[band] = list = [];
            }

            if (!list.Exists(e => e.StoryId == storyId))
            {
                list.Add((fingerprint, storyId));
            }
        }
    }

    /// <summary>The closest story within <see cref="SimHash.MaxDistance"/> bits, if any.</summary>
    public (string StoryId, int Distance)? Nearest(ulong fingerprint)
    {
        (string, int)? best = null;
        foreach (var band in SimHash.Bands(fingerprint))
        {
            if (!byBand.TryGetValue(band, out var list))
            {
                continue;
            }

            foreach (var (candidate, storyId) in list)
            {
                var distance = SimHash.Distance(candidate, fingerprint);
                if (distance <= SimHash.MaxDistance && (best is null || distance < best.Value.Item2))
                {
                    best = (storyId, distance);
                }
            }
        }

        return best;
    }
}
