using Azure.Data.Tables;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Paging;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Scoring;

/// <summary>A mention no enterprise could be confidently matched to, and why.</summary>
public sealed record UnlinkedMention(string Source, string ItemId, string? Title, string? Reason, string? RawSha256);

/// <summary>
/// Unlinked mentions (table <c>unlinkedmentions</c>), one row per source and item: never guessed
/// and never dropped, kept with their queue message for an operator to link by hand.
/// </summary>
public sealed class UnlinkedMentionStore(SupervisionStorage storage)
{
    // A table property holds 64 KiB, 32 K characters of UTF-16.
    private const int MaxMessageCharacters = 30_000;

    private TableClient Table => storage.Table(StorageNames.Tables.UnlinkedMentions);

    public Task KeepAsync(NormalisedItem item, string reason, string message, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(
            new TableEntity(TableExtensions.SafeKey(item.SourceId), item.ItemId)
            {
                ["Title"] = item.Title,
                ["Reason"] = reason,
                ["RawSha256"] = item.RawSha256,
                ["Message"] = message.Length <= MaxMessageCharacters ? message : message[..MaxMessageCharacters],
            },
            TableUpdateMode.Replace,
            cancellationToken);

    /// <summary>One page of mentions, by source and item (the stored message is not read).</summary>
    public async Task<ListPage<UnlinkedMention>> PageAsync(PageRequest page, CancellationToken cancellationToken)
    {
        var rows = await Table.ReadPageAsync<TableEntity>(
            null, page, cancellationToken, ["PartitionKey", "RowKey", "Title", "Reason", "RawSha256"]);
        return rows.Select(row => new UnlinkedMention(
            row.PartitionKey, row.RowKey, row.GetString("Title"), row.GetString("Reason"), row.GetString("RawSha256")));
    }

    /// <summary>The first <paramref name="max"/> mentions, by source and item.</summary>
    public async Task<IReadOnlyList<UnlinkedMention>> ListAsync(int max, CancellationToken cancellationToken)
    {
        var mentions = new List<UnlinkedMention>();
        string[] columns = ["PartitionKey", "RowKey", "Title", "Reason", "RawSha256"];
        var query = Table.QueryAsync<TableEntity>(
            select: columns, maxPerPage: Math.Clamp(max, 1, 1000), cancellationToken: cancellationToken);
        await foreach (var row in query)
        {
            if (mentions.Count >= max)
            {
                break;
            }

            mentions.Add(new UnlinkedMention(
                row.PartitionKey, row.RowKey, row.GetString("Title"), row.GetString("Reason"), row.GetString("RawSha256")));
        }

        return mentions;
    }
}
