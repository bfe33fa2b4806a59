using Azure;
using Azure.Data.Tables;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Paging;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Scoring;

/// <summary>A mention no enterprise could be confidently matched to, and why; and, once an operator linked it, to whom.</summary>
public sealed record UnlinkedMention(string Source, string ItemId, string? Title, string? Reason, string? RawSha256)
{
    /// <summary>The mention's id in routes: its item id (a hash of the source and the item, so unique across sources).</summary>
    public string Id => ItemId;

    public MentionConfirmation? Confirmed { get; init; }

    public static UnlinkedMention Of(TableEntity row) =>
        new(row.PartitionKey, row.RowKey, row.GetString("Title"), row.GetString("Reason"), row.GetString("RawSha256"))
        {
            Confirmed = row.GetString(UnlinkedMentionStore.ConfirmedUscc) is { } uscc
                ? new MentionConfirmation(
                    uscc,
                    row.GetString(UnlinkedMentionStore.ConfirmedBy) ?? string.Empty,
                    row.GetDateTimeOffset(UnlinkedMentionStore.ConfirmedAt) ?? DateTimeOffset.MinValue,
                    row.GetDateTimeOffset(UnlinkedMentionStore.LinkedAt))
                : null,
        };
}

/// <summary>
/// An operator's confirmation that a mention is about the enterprise <paramref name="Uscc"/>;
/// <paramref name="LinkedAt"/> is when its signal was written (null while the confirmation is claimed only).
/// </summary>
public sealed record MentionConfirmation(string Uscc, string By, DateTimeOffset At, DateTimeOffset? LinkedAt);

/// <summary>
/// Unlinked mentions (table <c>unlinkedmentions</c>), one row per source and item: never guessed
/// and never dropped, kept with their queue message for an operator to link by hand.
/// </summary>
public sealed class UnlinkedMentionStore(SupervisionStorage storage)
{
    // A table property holds 64 KiB, 32 K characters of UTF-16.
    private const int MaxMessageCharacters = 30_000;

    public const string ConfirmedUscc = "ConfirmedUscc";
    public const string ConfirmedBy = "ConfirmedBy";
    public const string ConfirmedAt = "ConfirmedAt";
    public const string LinkedAt = "LinkedAt";

    private static readonly string[] Listed =
        ["PartitionKey", "RowKey", "Title", "Reason", "RawSha256", ConfirmedUscc, ConfirmedBy, ConfirmedAt, LinkedAt];

    private TableClient Table => storage.Table(StorageNames.Tables.UnlinkedMentions);

    /// <summary>
    /// Keeps a mention that could not be linked. A merge: a mention delivered again keeps an
    /// operator's confirmation of it.
    /// </summary>
    public Task KeepAsync(NormalisedItem item, string reason, string message, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(
            new TableEntity(TableExtensions.SafeKey(item.SourceId), item.ItemId)
            {
                ["Title"] = item.Title,
                ["Reason"] = reason,
                ["RawSha256"] = item.RawSha256,
                ["Message"] = message.Length <= MaxMessageCharacters ? message : message[..MaxMessageCharacters],
            },
            TableUpdateMode.Merge,
            cancellationToken);

    /// <summary>
    /// The mention with this item id, with its message and ETag. Item ids are unique across sources, so
    /// the mention is found by row key alone: a query over the table, for an operator's single action.
    /// </summary>
    public async Task<TableEntity?> FindAsync(string itemId, CancellationToken cancellationToken)
    {
        await foreach (var row in Table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"RowKey eq {itemId}"), maxPerPage: 1, cancellationToken: cancellationToken))
        {
            return row;
        }

        return null;
    }

    /// <summary>Claims the mention for an enterprise if the row is still as read; false when it changed meanwhile.</summary>
    public async Task<bool> TryClaimAsync(TableEntity row, string uscc, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(
                new TableEntity(row.PartitionKey, row.RowKey) { [ConfirmedUscc] = uscc, [ConfirmedBy] = by, [ConfirmedAt] = at },
                row.ETag,
                TableUpdateMode.Merge,
                cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>Records that the confirmed mention's signal is written.</summary>
    public Task MarkLinkedAsync(string source, string itemId, DateTimeOffset at, CancellationToken cancellationToken) =>
        Table.UpdateEntityAsync(new TableEntity(source, itemId) { [LinkedAt] = at }, ETag.All, TableUpdateMode.Merge, cancellationToken);

    /// <summary>One page of mentions, by source and item (the stored message is not read).</summary>
    public async Task<ListPage<UnlinkedMention>> PageAsync(PageRequest page, CancellationToken cancellationToken)
    {
        var rows = await Table.ReadPageAsync<TableEntity>(null, page, cancellationToken, Listed);
        return rows.Select(UnlinkedMention.Of);
    }

    /// <summary>The first <paramref name="max"/> mentions, by source and item.</summary>
    public async Task<IReadOnlyList<UnlinkedMention>> ListAsync(int max, CancellationToken cancellationToken)
    {
        var mentions = new List<UnlinkedMention>();
        var query = Table.QueryAsync<TableEntity>(
            select: Listed, maxPerPage: Math.Clamp(max, 1, 1000), cancellationToken: cancellationToken);
        await foreach (var row in query)
        {
            if (mentions.Count >= max)
            {
                break;
            }

            mentions.Add(UnlinkedMention.Of(row));
        }

        return mentions;
    }
}
