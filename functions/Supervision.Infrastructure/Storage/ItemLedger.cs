using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Supervision.Domain.Ingestion;

namespace Supervision.Infrastructure.Storage;

/// <summary>What intake writes for a new item: when it arrived, where its bytes are, and its place among stories.</summary>
public sealed record LedgerArrival(
    string ItemId,
    DateTimeOffset ArrivedAt,
    DateTimeOffset? PublishedAt,
    string RawSha256,
    string StoryId,
    DuplicateKind Duplicate,
    string ExactKey,
    ulong? Fingerprint,
    string Title);

/// <summary>One item's row as a source's record counts it.</summary>
public sealed record LedgerRow(
    string ItemId, DuplicateKind? Duplicate, bool? Linked, bool? Confirmed, DateTimeOffset? PublishedAt, DateTimeOffset? ArrivedAt);

/// <summary>One item's place among stories, for an index that rebuilds itself from the ledger.</summary>
public sealed record LedgerStoryRow(
    string SourceKey, string ItemId, string StoryId, string? ExactKey, ulong? Fingerprint, DuplicateKind? Duplicate);

/// <summary>
/// The item ledger (table <c>seenitems</c>): one row per item a source sent, keyed by source and
/// item id. Intake writes the arrival, scoring marks whether the item named an enterprise, and a
/// closed review's feedback marks whether its evidence was confirmed; a source's measured record
/// is counted from these rows. Every write merges by key, so repeating one changes nothing.
/// </summary>
public sealed class ItemLedger(SupervisionStorage storage)
{
    private const int MaxTitleCharacters = 300;

    // Item ids are 32 hex characters, so a group of this size stays far inside the URL limit.
    private const int IdsPerQuery = 50;

    private TableClient Table => storage.Table(StorageNames.Tables.SeenItems);

    /// <summary>
    /// Which of these ids the ledger already holds. Asked in groups of ids per query rather than
    /// one read per item: a re-pulled feed is mostly items seen before, and round trips dominate.
    /// </summary>
    public async Task<HashSet<string>> SeenAsync(
        string sourceId, IReadOnlyList<string> itemIds, int parallelism, CancellationToken cancellationToken)
    {
        var partition = Escape(TableExtensions.SafeKey(sourceId));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(itemIds.Chunk(IdsPerQuery), Options(parallelism, cancellationToken), async (group, ct) =>
        {
            var filter = $"PartitionKey eq '{partition}' and ({string.Join(" or ", group.Select(id => $"RowKey eq '{Escape(id)}'"))})";
            await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct))
            {
                lock (seen)
                {
                    seen.Add(row.RowKey);
                }
            }
        });
        return seen;
    }

    /// <summary>Records new items, in batches of one partition (the table's transaction limit is 100 rows).</summary>
    public async Task RecordArrivalsAsync(
        string sourceId, IReadOnlyList<LedgerArrival> arrivals, int parallelism, CancellationToken cancellationToken)
    {
        var partition = TableExtensions.SafeKey(sourceId);
        var rows = arrivals.Select(a => new TableEntity(partition, a.ItemId)
        {
            ["ArrivedAt"] = a.ArrivedAt,
            ["PublishedAt"] = a.PublishedAt,
            ["RawSha256"] = a.RawSha256,
            ["StoryId"] = a.StoryId,
            ["Duplicate"] = a.Duplicate.ToString(),
            ["ExactKey"] = a.ExactKey,
            ["Fingerprint"] = a.Fingerprint is { } print ? unchecked((long)print) : null,
            ["Title"] = a.Title.Length > MaxTitleCharacters ? a.Title[..MaxTitleCharacters] : a.Title,
        }).Select(row => new TableTransactionAction(TableTransactionActionType.UpsertMerge, row)).ToList();
        await Parallel.ForEachAsync(rows.Chunk(100), Options(parallelism, cancellationToken), async (batch, ct) =>
            await Table.SubmitTransactionAsync(batch, ct));
    }

    /// <summary>Marks whether the item named an enterprise (null: none): the share a source links is part of its record.</summary>
    public Task MarkLinkedAsync(string sourceId, string itemId, string? uscc, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(
            new TableEntity(TableExtensions.SafeKey(sourceId), itemId) { ["Linked"] = uscc is not null, ["Uscc"] = uscc },
            TableUpdateMode.Merge,
            cancellationToken);

    /// <summary>Marks the item confirmed, or not, by the review that closed on it.</summary>
    public Task MarkConfirmedAsync(string sourceId, string itemId, bool confirmed, string caseId, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(
            new TableEntity(TableExtensions.SafeKey(sourceId), itemId) { ["Confirmed"] = confirmed, ["ConfirmedByCase"] = caseId },
            TableUpdateMode.Merge,
            cancellationToken);

    /// <summary>Every row of one source.</summary>
    public async IAsyncEnumerable<LedgerRow> OfSourceAsync(string sourceId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableExtensions.SafeKey(sourceId)}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            yield return new LedgerRow(
                row.RowKey, DuplicateOf(row), row.GetBoolean("Linked"), row.GetBoolean("Confirmed"),
                row.GetDateTimeOffset("PublishedAt"), row.GetDateTimeOffset("ArrivedAt"));
        }
    }

    /// <summary>The story columns of rows written since a time (by any instance), for the story index.</summary>
    public async IAsyncEnumerable<LedgerStoryRow> WrittenSinceAsync(
        DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"Timestamp ge {since}");
        string[] columns = ["PartitionKey", "RowKey", "StoryId", "ExactKey", "Fingerprint", "Duplicate"];
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: columns, cancellationToken: cancellationToken))
        {
            if (row.GetString("StoryId") is { } storyId)
            {
                var print = row.GetInt64("Fingerprint") is { } value ? unchecked((ulong)value) : (ulong?)null;
                yield return new LedgerStoryRow(row.PartitionKey, row.RowKey, storyId, row.GetString("ExactKey"), print, DuplicateOf(row));
            }
        }
    }

    private static DuplicateKind? DuplicateOf(TableEntity row) =>
        Enum.TryParse<DuplicateKind>(row.GetString("Duplicate"), out var kind) ? kind : null;

    private static string Escape(string value) => value.Replace("'", "''", StringComparison.Ordinal);

    private static ParallelOptions Options(int parallelism, CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken };
}
