using Microsoft.Extensions.Options;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>An item's place among stories, with the keys the ledger row keeps so other instances can find the story.</summary>
public sealed record StoryPlacement(StoryAssignment Assignment, string ExactKey, ulong? Fingerprint);

/// <summary>
/// Groups items into stories: an item whose normalised text was seen before, or whose SimHash
/// fingerprint is within three bits of a story's, joins that story and raises its reach instead
/// of becoming another signal. The index is the ledger itself (each item's row keeps its exact
/// key, fingerprint and story) mirrored in memory for the last <see cref="IngestionOptions.StoryWindow"/>,
/// refreshed from rows other instances wrote every <see cref="RefreshEvery"/>. Stories that
/// others repeated get a row in the stories table with their reach and first members.
/// </summary>
/// <remarks>
/// Two instances pulling two reposts of one story in the same refresh window can each start a
/// story; both stay correct signals, just not merged. A single instance never splits a story.
/// </remarks>
public sealed class StoryIndex(ItemLedger ledger, StoryTable stories, IOptions<IngestionOptions> options, TimeProvider time) : IDisposable
{
    private const int MaxMembersKept = 200;
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, string> storyByExactKey = new(StringComparer.Ordinal);
    private readonly FingerprintBands storiesByBand = new();
    private readonly Dictionary<string, string> firstSourceOfStory = new(StringComparer.Ordinal);
    private DateTimeOffset? refreshedAt;

    public void Dispose() => gate.Dispose();

    /// <summary>
    /// Places each item in a story and records the reach of stories that were repeated. Safe to
    /// repeat: an item placed before lands in the same story and counts once.
    /// </summary>
    public async Task<IReadOnlyList<StoryPlacement>> AssignAsync(IReadOnlyList<NormalisedItem> items, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await RefreshAsync(cancellationToken);
            var placements = new List<StoryPlacement>(items.Count);
            var repeats = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                var placement = Place(item);
                placements.Add(placement);
                if (placement.Assignment.Kind != DuplicateKind.New)
                {
                    var storyId = placement.Assignment.StoryId;
                    var members = repeats.TryGetValue(storyId, out var list) ? list : repeats[storyId] = [];
                    members.Add($"{item.SourceId}|{item.ItemId}");
                }
            }

            await RecordRepeatsAsync(repeats, cancellationToken);
            return placements;
        }
        finally
        {
            gate.Release();
        }
    }

    private StoryPlacement Place(NormalisedItem item)
    {
        var normalised = SimHash.Normalise(item.Text);

        // Of the full text where intake knows it: two items that differ only past the clipping limits are not one.
        var exactKey = item.FullTextKey ?? SimHash.ExactKeyOfNormalised(normalised);
        var fingerprint = SimHash.FingerprintOfNormalised(normalised);
        if (storyByExactKey.TryGetValue(exactKey, out var storyId))
        {
            var kind = storyId == item.ItemId ? DuplicateKind.New : DuplicateKind.Exact;
            return new StoryPlacement(new StoryAssignment(storyId, kind, 0), exactKey, fingerprint);
        }

        if (fingerprint is { } print && storiesByBand.Nearest(print) is { } near)
        {
            storyByExactKey[exactKey] = near.StoryId;
            var kind = near.StoryId == item.ItemId ? DuplicateKind.New : DuplicateKind.Near;
            return new StoryPlacement(new StoryAssignment(near.StoryId, kind, near.Distance), exactKey, fingerprint);
        }

        storyByExactKey[exactKey] = item.ItemId;
        Remember(item.ItemId, item.SourceId, fingerprint);
        return new StoryPlacement(new StoryAssignment(item.ItemId, DuplicateKind.New, 0), exactKey, fingerprint);
    }

    private void Remember(string storyId, string sourceId, ulong? fingerprint)
    {
        firstSourceOfStory[storyId] = sourceId;
        if (fingerprint is { } print)
        {
            storiesByBand.Add(print, storyId);
        }
    }

    /// <summary>Adds repeated items to their stories' rows (read, add the new members, write back if unchanged meanwhile).</summary>
    private async Task RecordRepeatsAsync(Dictionary<string, List<string>> repeats, CancellationToken cancellationToken)
    {
        var parallelism = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(repeats, parallelism, async (repeat, ct) =>
        {
            for (var attempt = 0; attempt < 10; attempt++)
            {
                var story = await stories.FindAsync(repeat.Key, ct);
                var isNew = story is null;
                story ??= new StoryEntity
                {
                    RowKey = repeat.Key,
                    Reach = 1,
                    Members = $"{firstSourceOfStory.GetValueOrDefault(repeat.Key, "?")}|{repeat.Key}",
                    FirstSeenAt = time.GetUtcNow(),
                };
                var changed = false;
                foreach (var member in repeat.Value.Where(m => !story.HasMember(m)))
                {
                    story.AddMember(member, MaxMembersKept);
                    changed = true;
                }

                // Unchanged: these members were recorded before. Saved: done. Otherwise another
                // instance added members at the same moment; read again and retry.
                if (!changed || await stories.TrySaveAsync(story, isNew, ct))
                {
                    return;
                }
            }

            throw new InvalidOperationException($"story {repeat.Key} kept changing under 10 attempts to record its reach");
        });
    }

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (refreshedAt is { } last && now - last < RefreshEvery)
        {
            return;
        }

        // Ledger rows written since the last refresh (a margin for clock skew between writers),
        // or within the story window on the first load.
        var since = refreshedAt?.AddSeconds(-10) ?? now - options.Value.StoryWindow;
        await foreach (var row in ledger.WrittenSinceAsync(since, cancellationToken))
        {
            if (row.ExactKey is { } exactKey)
            {
                storyByExactKey[exactKey] = row.StoryId;
            }

            if (row.Duplicate == DuplicateKind.New)
            {
                Remember(row.StoryId, row.SourceKey, row.Fingerprint);
            }
        }

        refreshedAt = now;
    }
}
