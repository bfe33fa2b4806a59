using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Text;

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
    string Title)
{
    /// <summary>What went wrong reading the item's bytes as text; counted in the source's record.</summary>
    public DecodingIssues Decoding { get; init; }
}

/// <summary>One item's row as a source's record counts it.</summary>
public sealed record LedgerRow(
    string ItemId, DuplicateKind? Duplicate, bool? Linked, bool? Confirmed, DateTimeOffset? PublishedAt, DateTimeOffset? ArrivedAt);

/// <summary>One item's place among stories, for an index that rebuilds itself from the ledger.</summary>
public sealed record LedgerStoryRow(
    string SourceKey, string ItemId, string StoryId, string? ExactKey, ulong? Fingerprint, DuplicateKind? Duplicate);

/// <summary>
/// The item ledger (table <c>seenitems</c>): one row per item a source sent, keyed by source and
/// item id. Intake writes the arrival, scoring marks whether the item named an enterprise, and a
/// closed review's feedback marks whether its evidence was confirmed. The same partition holds the
/// source's running counters (and a marker per quarantined input), changed only together with the
/// rows that cause them (<see cref="LedgerTransactions"/>), so repeating a write changes nothing.
/// </summary>
public sealed class ItemLedger(SupervisionStorage storage)
{
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

    /// <summary>
    /// Records new items with the source's counters (<see cref="LedgerTransactions"/>), a transaction
    /// per group of rows. A row that already holds an arrival keeps it: a repeated intake changes
    /// nothing. A row a scorer created first (it may link an item before intake writes the
    /// arrival) gains the arrival.
    /// </summary>
    public async Task RecordArrivalsAsync(
        string sourceId, IReadOnlyList<LedgerArrival> arrivals, int parallelism, CancellationToken cancellationToken)
    {
        var partition = TableExtensions.SafeKey(sourceId);
        var groups = arrivals.DistinctBy(a => a.ItemId).Chunk(LedgerTransactions.RowsPerTransaction)
            .Select((group, index) => (Group: group, Shard: index % LedgerRows.Shards));
        await Parallel.ForEachAsync(groups, Options(parallelism, cancellationToken), async (work, ct) =>
        {
            var byId = work.Group.ToDictionary(a => a.ItemId, StringComparer.Ordinal);
            await LedgerTransactions.ApplyAsync(Table, partition, [.. byId.Keys], work.Shard, (id, existing) =>
                existing?.GetDateTimeOffset("ArrivedAt") is not null ? null : ArrivalRow(byId[id]), ct);
        });
    }

    /// <summary>Marks whether the item named an enterprise (null: none): the share a source links is part of its record.</summary>
    public Task MarkLinkedAsync(string sourceId, string itemId, string? uscc, CancellationToken cancellationToken) =>
        ChangeItemAsync(
            sourceId,
            itemId,
            existing => existing is not null && existing.GetBoolean("Linked") == (uscc is not null) && existing.GetString("Uscc") == uscc
                && existing.GetBoolean(LedgerRows.Counted) == true
                ? null
                : new TableEntity { ["Linked"] = uscc is not null, ["Uscc"] = uscc },
            cancellationToken);

    /// <summary>Marks the item confirmed, or not, by the review that closed on it.</summary>
    public Task MarkConfirmedAsync(string sourceId, string itemId, bool confirmed, string caseId, CancellationToken cancellationToken) =>
        ChangeItemAsync(
            sourceId,
            itemId,
            existing => existing is not null && existing.GetBoolean("Confirmed") == confirmed
                && existing.GetString("ConfirmedByCase") == caseId && existing.GetBoolean(LedgerRows.Counted) == true
                ? null
                : new TableEntity { ["Confirmed"] = confirmed, ["ConfirmedByCase"] = caseId },
            cancellationToken);

    /// <summary>
    /// Marks one input of the source as quarantined (keyed by its content hash, as the quarantine
    /// record is), so the quarantined count moves with the same transaction as its marker.
    /// </summary>
    public Task MarkQuarantinedAsync(string sourceId, string contentHash, CancellationToken cancellationToken) =>
        LedgerTransactions.ApplyAsync(
            Table,
            TableExtensions.SafeKey(sourceId),
            [LedgerRows.QuarantinePrefix + contentHash],
            Random.Shared.Next(LedgerRows.Shards),
            (_, existing) => existing?.GetBoolean(LedgerRows.Counted) == true ? null : new TableEntity(),
            cancellationToken);

    /// <summary>The source's record as its running counters hold it, and whether they are complete (backfilled).</summary>
    public async Task<(SourceTally Tally, bool Complete)> CountersAsync(string sourceId, CancellationToken cancellationToken) =>
        await LedgerTransactions.ReadCountersAsync(Table, TableExtensions.SafeKey(sourceId), cancellationToken);

    /// <summary>
    /// Brings counters written before this version up to date, once per source: counts every row
    /// not yet counted (each in a transaction with its counter, as any change is) and then marks
    /// the counters complete. Safe beside live intake and safe to repeat.
    /// </summary>
    public async Task BackfillCountersAsync(string sourceId, IReadOnlyList<string> quarantinedHashes, CancellationToken cancellationToken)
    {
        foreach (var hash in quarantinedHashes)
        {
            await MarkQuarantinedAsync(sourceId, hash, cancellationToken);
        }

        var partition = TableExtensions.SafeKey(sourceId);
        var uncounted = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        string[] columns = ["RowKey", LedgerRows.Counted];
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: columns, cancellationToken: cancellationToken))
        {
            if (row.GetBoolean(LedgerRows.Counted) != true && LedgerRows.FactsOf(row) is not null)
            {
                uncounted.Add(row.RowKey);
            }
        }

        foreach (var (group, index) in uncounted.Chunk(LedgerTransactions.RowsPerTransaction).Select((g, i) => (g, i)))
        {
            await LedgerTransactions.ApplyAsync(Table, partition, group, index % LedgerRows.Shards, (_, existing) =>
                existing is null || existing.GetBoolean(LedgerRows.Counted) == true ? null : new TableEntity(), cancellationToken);
        }

        await Table.UpsertEntityAsync(
            new TableEntity(partition, LedgerRows.CounterRow(0)) { [LedgerRows.Complete] = true },
            TableUpdateMode.Merge,
            cancellationToken);
    }

    /// <summary>
    /// The source's record counted afresh from every row of its partition: the repair and
    /// verification path beside the running counters, which it must always equal.
    /// </summary>
    public async Task<SourceTally> RecountAsync(string sourceId, CancellationToken cancellationToken)
    {
        var tally = new SourceTally();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableExtensions.SafeKey(sourceId)}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (LedgerRows.FactsOf(row) is { } facts)
            {
                tally.Apply(facts, +1);
            }
        }

        return tally;
    }

    /// <summary>Every item row of one source.</summary>
    public async IAsyncEnumerable<LedgerRow> OfSourceAsync(string sourceId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableExtensions.SafeKey(sourceId)}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (LedgerRows.IsItem(row.RowKey))
            {
                yield return new LedgerRow(
                    row.RowKey, DuplicateOf(row), row.GetBoolean("Linked"), row.GetBoolean("Confirmed"),
                    row.GetDateTimeOffset("PublishedAt"), row.GetDateTimeOffset("ArrivedAt"));
            }
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

    private Task ChangeItemAsync(
        string sourceId, string itemId, Func<TableEntity?, TableEntity?> change, CancellationToken cancellationToken) =>
        LedgerTransactions.ApplyAsync(
            Table,
            TableExtensions.SafeKey(sourceId),
            [itemId],
            Random.Shared.Next(LedgerRows.Shards),
            (_, existing) => change(existing),
            cancellationToken);

    private static TableEntity ArrivalRow(LedgerArrival a) => new()
    {
        ["ArrivedAt"] = a.ArrivedAt,
        ["PublishedAt"] = a.PublishedAt,
        ["DelayBucket"] = a.PublishedAt is { } published ? DelayHistogram.BucketOf((a.ArrivedAt - published).TotalSeconds) : null,
        ["RawSha256"] = a.RawSha256,
        ["StoryId"] = a.StoryId,
        ["Duplicate"] = a.Duplicate.ToString(),
        ["ExactKey"] = a.ExactKey,
        ["Fingerprint"] = a.Fingerprint is { } print ? unchecked((long)print) : null,
        ["Title"] = ItemFieldLimits.Clip(a.Title, ItemFieldLimits.LedgerTitle),
        [LedgerRows.Decoding] = a.Decoding == DecodingIssues.None ? null : a.Decoding.ToString(),
    };

    private static DuplicateKind? DuplicateOf(TableEntity row) =>
        Enum.TryParse<DuplicateKind>(row.GetString("Duplicate"), out var kind) ? kind : null;

    private static string Escape(string value) => value.Replace("'", "''", StringComparison.Ordinal);

    private static ParallelOptions Options(int parallelism, CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = cancellationToken };
}
