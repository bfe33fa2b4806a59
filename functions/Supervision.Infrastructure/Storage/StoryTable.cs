using Azure;
using Azure.Data.Tables;

namespace Supervision.Infrastructure.Storage;

/// <summary>
/// Repeated stories (table <c>stories</c>), keyed by their first item's id: ingestion records
/// who repeated a story, the portraits stage reads how far it reached. Only stories that others
/// repeated have a row; an item with none reached one outlet.
/// </summary>
public sealed class StoryTable(SupervisionStorage storage)
{
    private TableClient Table => storage.Table(StorageNames.Tables.Stories);

    public Task<StoryEntity?> FindAsync(string storyId, CancellationToken cancellationToken) =>
        Table.FindAsync<StoryEntity>(StoryEntity.Partition, storyId, cancellationToken);

    /// <summary>How many items carried the story an item opened (one when nobody repeated it).</summary>
    public async Task<int> ReachAsync(string itemId, CancellationToken cancellationToken) =>
        await FindAsync(itemId, cancellationToken) is { Reach: > 1 } story ? story.Reach : 1;

    /// <summary>
    /// Writes a story read by <see cref="FindAsync"/> (or a new one) unless another writer changed
    /// it since: false then, and the caller reads it again and reapplies its change.
    /// </summary>
    public async Task<bool> TrySaveAsync(StoryEntity story, bool isNew, CancellationToken cancellationToken)
    {
        story.PartitionKey = StoryEntity.Partition;
        try
        {
            if (isNew)
            {
                await Table.AddEntityAsync(story, cancellationToken);
            }
            else
            {
                await Table.UpdateEntityAsync(story, story.ETag, TableUpdateMode.Replace, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }
}

/// <summary>A repeated story: its first item's id, and who has carried it (its reach).</summary>
public sealed class StoryEntity : ITableEntity
{
    public const string Partition = "story";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }

    /// <summary>How many items carried the story, the first included; counts past the members kept.</summary>
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
}
