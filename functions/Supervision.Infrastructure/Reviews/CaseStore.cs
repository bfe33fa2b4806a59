using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Supervision.Domain.Paging;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// Cases and decisions in Table storage. Each case has its own partition (<c>case|{caseId}</c>)
/// holding its record and the claim a starter made on it; lists read the index rows of
/// <see cref="CaseIndex"/>, written from the record on every save. Cases written before this
/// layout (partitions "case" and "claim") are moved by <see cref="CaseLayoutMigration"/> at start,
/// and are still found by <see cref="GetAsync"/> and <see cref="LatestOccurrenceAsync"/> meanwhile.
/// </summary>
public sealed partial class CaseStore(SupervisionStorage storage)
{
    private const string RecordRow = "record";
    private const string ClaimRow = "claim";
    private const string IndexedColumn = "Indexed";

    // Departments' activities write the same case concurrently; each loser reads again.
    private const int MaxWriteAttempts = 50;

    /// <summary>Set once the migration found nothing left in the old layout, so reads stop looking there.</summary>
    public bool LegacyMigrated { get; set; }

    private TableClient Cases => storage.Table(StorageNames.Tables.Cases);

    private TableClient Decisions => storage.Table(StorageNames.Tables.Decisions);

    public static string PartitionOf(string caseId) => "case|" + TableExtensions.SafeKey(caseId);

    /// <summary>
    /// Writes the record, then its index rows and counters. The record row first remembers every
    /// index row that may exist (those of the record it replaces as well as its own), so a crash
    /// anywhere is healed by the retry, or by any later save of the case: stale rows are removed,
    /// missing ones added, and counters move only with a row that appears or disappears. The record
    /// is written only over the row just read (its ETag), keeping the departments' progress the stored
    /// record has (<see cref="ReviewProgress.Merge"/>), so a save never undoes a department's step
    /// written meanwhile by another department's activity.
    /// </summary>
    public Task SaveAsync(CaseRecord record, CancellationToken cancellationToken) =>
        WriteAsync(record.CaseId, _ => record, cancellationToken);

    /// <summary>
    /// Writes what <paramref name="next"/> makes of the stored record (null when there is none), read
    /// again and re-applied whenever another writer changed it first; null from it writes nothing.
    /// Returns the record written, or the stored one when nothing was.
    /// </summary>
    private async Task<CaseRecord?> WriteAsync(
        string caseId, Func<CaseRecord?, CaseRecord?> next, CancellationToken cancellationToken)
    {
        var table = Cases;
        var partition = PartitionOf(caseId);
        for (var attempt = 1; ; attempt++)
        {
            var existing = await table.FindAsync<TableEntity>(partition, RecordRow, cancellationToken);
            var stored = existing is null ? null : RecordOf(existing);
            if (next(stored) is not { } wanted)
            {
                return stored;
            }

            var record = stored is not null && stored.OpenedAt == wanted.OpenedAt
                ? wanted with { DepartmentReviews = ReviewProgress.Merge(stored.DepartmentReviews, wanted.DepartmentReviews) }
                : wanted;
            var version = (existing?.GetInt64(CaseIndex.VersionColumn) ?? 0) + 1;
            var rows = CaseIndex.RowsAt(record, version);
            var keys = rows.Select(r => new IndexKey(r.PartitionKey, r.RowKey)).ToList();
            var remembered = IndexedOf(existing).Union(keys).ToList();
            var entity = RecordEntity(partition, record, remembered, version);
            Response written;
            try
            {
                written = existing is null
                    ? await table.AddEntityAsync(entity, cancellationToken)
                    : await table.UpdateEntityAsync(entity, existing.ETag, TableUpdateMode.Replace, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxWriteAttempts)
            {
                // Another writer saved the case since it was read: read it again and re-apply.
                await Task.Delay(Random.Shared.Next(1, Math.Min(10 * attempt, 250)), cancellationToken);
                continue;
            }

            await WriteIndexAsync(table, partition, rows, keys, remembered, written, cancellationToken);
            return record;
        }
    }

    public async Task<CaseRecord?> GetAsync(string caseId, CancellationToken cancellationToken)
    {
        var row = await Cases.FindAsync<JsonEntity>(PartitionOf(caseId), RecordRow, cancellationToken);
        if (row is null && !LegacyMigrated)
        {
            var legacyKey = TableExtensions.SafeKey(caseId);
            row = await Cases.FindAsync<JsonEntity>(CaseLayoutMigration.LegacyCasePartition, legacyKey, cancellationToken);
        }

        return row?.Read<CaseRecord>();
    }

    /// <summary>One page of the cases a filter selects, newest first, read from that filter's one index partition.</summary>
    public async Task<ListPage<CaseRecord>> PageAsync(CaseFilter filter, PageRequest page, CancellationToken cancellationToken)
    {
        var query = TableClient.CreateQueryFilter(
            $"PartitionKey eq {CaseIndex.PartitionOf(filter)} and RowKey lt {CaseIndex.CounterRow}");
        if (filter is { Uscc: not null, Status: { } status })
        {
            // An enterprise's partition holds its few cases; the service filters them by status.
            query += TableClient.CreateQueryFilter($" and Status eq {status.ToString()}");
        }

        if (filter is { Department: not null, Awaiting: true })
        {
            // Still the department's one partition: its rows carry the department's own status.
            var (pending, asked) = (nameof(DepartmentReviewStatus.Pending), nameof(DepartmentReviewStatus.InformationRequested));
            query += TableClient.CreateQueryFilter(
                $" and (DepartmentStatus eq {pending} or DepartmentStatus eq {asked})");
        }

        var rows = await Cases.ReadPageAsync<JsonEntity>(query, page, cancellationToken);
        return rows.Select(r => r.Read<CaseRecord>());
    }

    /// <summary>
    /// Every case a filter selects, page by page. For tools and benchmarks; the API reads one page
    /// at a time, and counts come from <see cref="CountAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<CaseRecord>> ListAsync(CaseStatus? status, CancellationToken cancellationToken)
    {
        var cases = new List<CaseRecord>();
        var page = PageRequest.First(PageSizes.Max);
        while (true)
        {
            var read = await PageAsync(new CaseFilter(status), page, cancellationToken);
            cases.AddRange(read.Items);
            if (read.Next is null)
            {
                return cases;
            }

            page = page with { From = read.Next };
        }
    }

    /// <summary>How many cases a filter selects, from its partition's running counter (one point read).</summary>
    public async Task<long> CountAsync(CaseFilter filter, CancellationToken cancellationToken) =>
        (await Cases.FindAsync<TableEntity>(CaseIndex.PartitionOf(filter), CaseIndex.CounterRow, cancellationToken))
            ?.GetInt64(CaseIndex.CountColumn) ?? 0;

    /// <summary>Claims the right to start a case: true for the first caller only; otherwise when the claim was made.</summary>
    public async Task<(bool Won, DateTimeOffset ClaimedAt)> ClaimAsync(
        string caseId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = Cases;
        var partition = PartitionOf(caseId);
        if (await table.TryAddAsync(new TableEntity(partition, ClaimRow) { ["ClaimedAt"] = now }, cancellationToken))
        {
            return (true, now);
        }

        var existing = await table.FindAsync<TableEntity>(partition, ClaimRow, cancellationToken);
        return (false, existing?.GetDateTimeOffset("ClaimedAt") ?? now);
    }

    /// <summary>
    /// The latest occurrence of a case under a memorandum for an enterprise (null when there is
    /// none): the case record if one was written, else the claim a starter made on it. One range
    /// query: every occurrence's partition starts with the first occurrence's. Until the migration
    /// has emptied the layout before partitioning, its rows are read too (two more range queries).
    /// </summary>
    public async Task<Occurrence?> LatestOccurrenceAsync(string memorandumId, string uscc, CancellationToken cancellationToken)
    {
        var first = TableExtensions.SafeKey(CaseOccurrences.CaseIdFor(memorandumId, uscc, 1));
        var own = PartitionOf(first);
        var queries = new List<(string Filter, bool Legacy)>
        {
            (TableClient.CreateQueryFilter($"PartitionKey ge {own} and PartitionKey lt {own + "."}"), false),
        };
        if (!LegacyMigrated)
        {
            queries.AddRange(new[] { CaseLayoutMigration.LegacyCasePartition, CaseLayoutMigration.LegacyClaimPartition }.Select(p =>
                (TableClient.CreateQueryFilter($"PartitionKey eq {p} and RowKey ge {first} and RowKey lt {first + "."}"), true)));
        }

        var records = new Dictionary<int, CaseRecord>();
        var claims = new Dictionary<int, DateTimeOffset?>();
        foreach (var (filter, legacy) in queries)
        {
            await foreach (var row in Cases.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                var caseKey = legacy ? row.RowKey : row.PartitionKey["case|".Length..];
                if (CaseOccurrences.OccurrenceOf(caseKey, memorandumId, uscc) is not { } number)
                {
                    continue;
                }

                if (legacy ? row.PartitionKey == CaseLayoutMigration.LegacyCasePartition : row.RowKey == RecordRow)
                {
                    records[number] = RecordOf(row);
                }
                else if (legacy || row.RowKey == ClaimRow)
                {
                    claims[number] = claims.GetValueOrDefault(number) ?? row.GetDateTimeOffset("ClaimedAt");
                }
            }
        }

        if (records.Keys.Concat(claims.Keys).DefaultIfEmpty().Max() is not (> 0 and var latest))
        {
            return null;
        }

        return Occurrence.Of(latest, records.GetValueOrDefault(latest), claims.GetValueOrDefault(latest));
    }

    /// <summary>Records a decision unless the department already has one; returns the one that stands.</summary>
    public async Task<(DecisionRecord Standing, bool Inserted)> RecordDecisionAsync(
        DecisionRecord decision, CancellationToken cancellationToken)
    {
        var table = Decisions;
        var key = decision.Department + ReviewNames.RoundSuffix(decision.Round);
        var json = JsonSerializer.Serialize(decision, MessageJson.Options);
        var inserted = await table.TryAddAsync(new JsonEntity(decision.CaseId, key, json), cancellationToken);
        if (inserted)
        {
            return (decision, true);
        }

        var standing = await table.FindAsync<JsonEntity>(decision.CaseId, key, cancellationToken);
        return (standing!.Read<DecisionRecord>(), false);
    }

    public async Task<DecisionRecord?> FindDecisionAsync(
        string caseId, string department, int round, CancellationToken cancellationToken) =>
        (await Decisions.FindAsync<JsonEntity>(caseId, department + ReviewNames.RoundSuffix(round), cancellationToken))
            ?.Read<DecisionRecord>();

    public async Task<IReadOnlyList<DecisionRecord>> DecisionsAsync(string caseId, CancellationToken cancellationToken)
    {
        var decisions = new List<DecisionRecord>();
        await foreach (var entity in Decisions.QueryAsync<JsonEntity>(e => e.PartitionKey == caseId, cancellationToken: cancellationToken))
        {
            decisions.Add(entity.Read<DecisionRecord>());
        }

        return decisions;
    }

    internal static CaseRecord RecordOf(TableEntity row) =>
        JsonSerializer.Deserialize<CaseRecord>(row.GetString(nameof(JsonEntity.Json)) ?? "null", MessageJson.Options)
            ?? throw new InvalidDataException($"case row {row.PartitionKey}/{row.RowKey} holds no case");

    private static TableEntity RecordEntity(string partition, CaseRecord record, IReadOnlyList<IndexKey> indexed, long version) =>
        new(partition, RecordRow)
        {
            [CaseIndex.VersionColumn] = version,
            [nameof(JsonEntity.Json)] = JsonSerializer.Serialize(record, MessageJson.Options),
            ["Status"] = record.Status.ToString(),
            [IndexedColumn] = Serialize(indexed),
        };

    private static List<IndexKey> IndexedOf(TableEntity? row) =>
        row?.GetString(IndexedColumn) is { } json ? JsonSerializer.Deserialize<List<IndexKey>>(json) ?? [] : [];

    private static string Serialize(IReadOnlyList<IndexKey> keys) => JsonSerializer.Serialize(keys);

    /// <summary>Where an index row of a case sits.</summary>
    private sealed record IndexKey(string Partition, string Row);
}
