using Azure;
using Azure.Data.Tables;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// Groups items into stories: an item whose normalised text was seen before, or whose SimHash
/// fingerprint is within three bits of a story's, joins that story and raises its reach instead
/// of becoming another signal. The index lives in the stories table and is mirrored in memory,
/// refreshed from rows other instances wrote every <see cref="RefreshEvery"/>.
/// </summary>
/// <remarks>
/// Two instances pulling two reposts of one story in the same refresh window can each start a
/// story; both stay correct signals, just not merged. A single instance never splits a story.
/// </remarks>
public sealed class StoryIndex(SupervisionStorage storage, TimeProvider time) : IDisposable
{
    public const string StoryPartition = "story";
    public const string ExactPartition = "exact";
    private const int MaxMembersKept = 200;
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, string> storyByExactKey = new(StringComparer.Ordinal);
    private readonly Dictionary<(int, ushort), List<(ulong Fingerprint, string StoryId)>> storiesByBand = [];
    private readonly Dictionary<string, StoryEntity> stories = new(StringComparer.Ordinal);
    private DateTimeOffset? refreshedAt;

    private TableClient Table => storage.Table(StorageNames.Tables.Stories);

    public void Dispose() => gate.Dispose();

    /// <summary>
    /// Assigns each item to a story and records the assignments. Safe to repeat: an item that
    /// is already a member changes nothing.
    /// </summary>
    public async Task<IReadOnlyList<StoryAssignment>> AssignAsync(IReadOnlyList<NormalisedItem> items, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            await RefreshAsync(cancellationToken);
            var assignments = new List<StoryAssignment>(items.Count);
            var changedStories = new Dictionary<string, StoryEntity>(StringComparer.Ordinal);
            var newExactKeys = new List<TableEntity>();
            foreach (var item in items)
            {
                var member = $"{item.SourceId}|{item.ItemId}";
                var assignment = Assign(item, newExactKeys);
                var story = stories[assignment.StoryId];
                if (!story.HasMember(member))
                {
                    story.AddMember(member, MaxMembersKept);
                    changedStories[story.RowKey] = story;
                }

                assignments.Add(assignment);
            }

            await SubmitAsync(newExactKeys.Cast<ITableEntity>().ToList(), cancellationToken);
            await SubmitAsync(changedStories.Values.Cast<ITableEntity>().ToList(), cancellationToken);
            return assignments;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<StoryEntity?> FindAsync(string storyId, CancellationToken cancellationToken) =>
        await Table.FindAsync<StoryEntity>(StoryPartition, storyId, cancellationToken);

    private StoryAssignment Assign(NormalisedItem item, List<TableEntity> newExactKeys)
    {
        var text = item.Text;
        var exactKey = SimHash.ExactKey(text);
        if (storyByExactKey.TryGetValue(exactKey, out var storyId))
        {
            return new StoryAssignment(storyId, storyId == item.ItemId ? DuplicateKind.New : DuplicateKind.Exact, 0);
        }

        var fingerprint = SimHash.Fingerprint(text);
        storyByExactKey[exactKey] = item.ItemId;
        if (fingerprint is { } print && Nearest(print) is { } near)
        {
            storyByExactKey[exactKey] = near.StoryId;
            newExactKeys.Add(new TableEntity(ExactPartition, exactKey) { ["StoryId"] = near.StoryId });
            return new StoryAssignment(near.StoryId, near.StoryId == item.ItemId ? DuplicateKind.New : DuplicateKind.Near, near.Distance);
        }

        newExactKeys.Add(new TableEntity(ExactPartition, exactKey) { ["StoryId"] = item.ItemId });
        var story = new StoryEntity
        {
            RowKey = item.ItemId,
            Fingerprint = fingerprint is { } f ? unchecked((long)f) : null,
            Title = item.Title.Length > 500 ? item.Title[..500] : item.Title,
            FirstSourceId = item.SourceId,
            FirstSeenAt = time.GetUtcNow(),
        };
        Remember(story);
        return new StoryAssignment(item.ItemId, DuplicateKind.New, 0);
    }

    private void Remember(StoryEntity story)
    {
        stories[story.RowKey] = story;
        if (story.Fingerprint is { } signed)
        {
            var print = unchecked((ulong)signed);
            foreach (var band in SimHash.Bands(print))
            {
                if (!storiesByBand.TryGetValue(band, out var list))
                {
                    storiesByBand[band] = list = [];
                }

                if (!list.Exists(e => e.StoryId == story.RowKey))
                {
                    list.Add((print, story.RowKey));
                }
            }
        }
    }

    private (string StoryId, int Distance)? Nearest(ulong fingerprint)
    {
        (string, int)? best = null;
        foreach (var band in SimHash.Bands(fingerprint))
        {
            if (!storiesByBand.TryGetValue(band, out var list))
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

    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (refreshedAt is { } last && now - last < RefreshEvery)
        {
            return;
        }

        // Rows written since the last refresh (with a margin for clock skew between writers).
        var since = refreshedAt?.AddSeconds(-10) ?? DateTimeOffset.MinValue;
        var filter = refreshedAt is null ? null : TableClient.CreateQueryFilter($"Timestamp ge {since}");
        await foreach (var entity in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (entity.PartitionKey == ExactPartition && entity.GetString("StoryId") is { } storyId)
            {
                storyByExactKey[entity.RowKey] = storyId;
            }
            else if (entity.PartitionKey == StoryPartition)
            {
                Remember(StoryEntity.From(entity));
            }
        }

        refreshedAt = now;
    }

    private async Task SubmitAsync(List<ITableEntity> entities, CancellationToken cancellationToken)
    {
        foreach (var batch in entities.Chunk(100))
        {
            await Table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancellationToken);
        }
    }
}

/// <summary>A story: the first item's id, its fingerprint, and who has carried it (its reach).</summary>
public sealed class StoryEntity : ITableEntity
{
    public string PartitionKey { get; set; } = StoryIndex.StoryPartition;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public long? Fingerprint { get; set; }

    public string Title { get; set; } = string.Empty;

    public string FirstSourceId { get; set; } = string.Empty;

    public DateTimeOffset FirstSeenAt { get; set; }

    /// <summary>How many items (from how many outlets) carried the story; counts past the members kept.</summary>
    public int Reach { get; set; }

    /// <summary>"source|item" of the first members, newline-separated (capped to keep the row small).</summary>
    public string Members { get; set; } = string.Empty;

    public bool HasMember(string member) => Members.Split('\n').Contains(member);

    public void AddMember(string member, int keep)
    {
        Reach++;
        var count = Members.Length == 0 ? 0 : Members.Count(c => c == '\n') + 1;
        if (count < keep)
        {
            Members = Members.Length == 0 ? member : $"{Members}\n{member}";
        }
    }

    public static StoryEntity From(TableEntity entity) => new()
    {
        RowKey = entity.RowKey,
        Fingerprint = entity.GetInt64(nameof(Fingerprint)),
        Title = entity.GetString(nameof(Title)) ?? string.Empty,
        FirstSourceId = entity.GetString(nameof(FirstSourceId)) ?? string.Empty,
        FirstSeenAt = entity.GetDateTimeOffset(nameof(FirstSeenAt)) ?? DateTimeOffset.MinValue,
        Reach = entity.GetInt32(nameof(Reach)) ?? 0,
        Members = entity.GetString(nameof(Members)) ?? string.Empty,
    };
}
