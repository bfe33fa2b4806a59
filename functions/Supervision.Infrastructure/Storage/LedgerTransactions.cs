using System.Globalization;
using Azure.Data.Tables;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Text;

namespace Supervision.Infrastructure.Storage;

/// <summary>
/// The rows of a source's ledger partition besides its items (running counters and quarantine
/// markers), and what each row counts for in the source's record.
/// </summary>
internal static class LedgerRows
{
    /// <summary>
    /// Counter rows are spread over a few shards so that writers of one source (scorers linking
    /// items side by side) seldom wait on the same ETag; the record is their sum, and any shard
    /// may take any row's change.
    /// </summary>
    public const int Shards = 32;

    public const string Counted = "Counted";
    public const string Complete = "Complete";
    public const string CounterPrefix = "~counter-";

    /// <summary>The first key after every counter row ('.' follows '-').</summary>
    public const string CounterRangeEnd = "~counter.";

    public const string QuarantinePrefix = "~quarantined-";

    /// <summary>An item row's decoding flags (<see cref="DecodingIssues"/>), absent when it decoded cleanly.</summary>
    public const string Decoding = "Decoding";

    public static string CounterRow(int shard) => CounterPrefix + shard.ToString(CultureInfo.InvariantCulture);

    /// <summary>Item ids are hex, so every other row of the partition starts with '~'.</summary>
    public static bool IsItem(string rowKey) => !rowKey.StartsWith('~');

    /// <summary>What a row counts for; null for rows that count for nothing (the counters themselves).</summary>
    public static LedgerFacts? FactsOf(TableEntity row)
    {
        if (row.RowKey.StartsWith(QuarantinePrefix, StringComparison.Ordinal))
        {
            return LedgerFacts.Quarantine;
        }

        if (!IsItem(row.RowKey))
        {
            return null;
        }

        var bucket = row.GetInt32("DelayBucket");
        if (bucket is null
            && row.GetDateTimeOffset("PublishedAt") is { } published
            && row.GetDateTimeOffset("ArrivedAt") is { } arrived)
        {
            // Rows written before delay buckets were stored: the bucket follows from the two times.
            bucket = DelayHistogram.BucketOf((arrived - published).TotalSeconds);
        }

        var duplicate = Enum.TryParse<DuplicateKind>(row.GetString("Duplicate"), out var kind) ? kind : (DuplicateKind?)null;
        var decoding = Enum.TryParse<DecodingIssues>(row.GetString(Decoding), out var flags) ? flags : DecodingIssues.None;
        var facts = new LedgerFacts(true, duplicate, row.GetBoolean("Linked"), row.GetBoolean("Confirmed"), bucket, false);
        return facts with { Decoding = decoding };
    }

    public static SourceTally TallyOf(TableEntity counter) => new()
    {
        Items = counter.GetInt64(nameof(SourceTally.Items)) ?? 0,
        ExactDuplicates = counter.GetInt64(nameof(SourceTally.ExactDuplicates)) ?? 0,
        NearDuplicates = counter.GetInt64(nameof(SourceTally.NearDuplicates)) ?? 0,
        Linked = counter.GetInt64(nameof(SourceTally.Linked)) ?? 0,
        Unlinked = counter.GetInt64(nameof(SourceTally.Unlinked)) ?? 0,
        Confirmed = counter.GetInt64(nameof(SourceTally.Confirmed)) ?? 0,
        NotConfirmed = counter.GetInt64(nameof(SourceTally.NotConfirmed)) ?? 0,
        Quarantined = counter.GetInt64(nameof(SourceTally.Quarantined)) ?? 0,
        InvalidBytesReplaced = counter.GetInt64(nameof(SourceTally.InvalidBytesReplaced)) ?? 0,
        DeclarationWrong = counter.GetInt64(nameof(SourceTally.DeclarationWrong)) ?? 0,
        Delays = DelayHistogram.Parse(counter.GetString(nameof(SourceTally.Delays))),
    };

    public static TableEntity CounterEntity(string partition, string rowKey, SourceTally tally) => new(partition, rowKey)
    {
        [nameof(SourceTally.Items)] = tally.Items,
        [nameof(SourceTally.ExactDuplicates)] = tally.ExactDuplicates,
        [nameof(SourceTally.NearDuplicates)] = tally.NearDuplicates,
        [nameof(SourceTally.Linked)] = tally.Linked,
        [nameof(SourceTally.Unlinked)] = tally.Unlinked,
        [nameof(SourceTally.Confirmed)] = tally.Confirmed,
        [nameof(SourceTally.NotConfirmed)] = tally.NotConfirmed,
        [nameof(SourceTally.Quarantined)] = tally.Quarantined,
        [nameof(SourceTally.InvalidBytesReplaced)] = tally.InvalidBytesReplaced,
        [nameof(SourceTally.DeclarationWrong)] = tally.DeclarationWrong,
        [nameof(SourceTally.Delays)] = tally.Delays.ToString(),
    };
}

/// <summary>
/// Changes ledger rows and the source's counters together. Every change to a counted field is
/// one entity-group transaction (rows and counter share the source's partition): each changed row
/// conditional on the ETag it was read with (or inserted if absent), and the counter shard moved
/// by exactly the difference between the rows' counted facts before and after, conditional on
/// its ETag. A redelivered message finds its rows already in the state it asks for and writes
/// nothing; a crash leaves either the whole change or none of it; a writer that lost a race
/// (409, 412) reads again and recomputes.
/// </summary>
/// <remarks>
/// A row carries <c>Counted</c> once the counters include it. Rows from before counters existed
/// lack it: their first change adds their whole facts instead of a difference, and a one-time
/// backfill counts the rest, so counters become exact without stopping intake.
/// </remarks>
internal static class LedgerTransactions
{
    /// <summary>Rows per transaction: with the counter row, one read query and one transaction of 50 keys.</summary>
    public const int RowsPerTransaction = 49;

    private const int MaxAttempts = 50;

    public static async Task ApplyAsync(
        TableClient table,
        string partition,
        IReadOnlyList<string> rowKeys,
        int shard,
        Func<string, TableEntity?, TableEntity?> change,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var counterKey = LedgerRows.CounterRow(shard);
            var stored = await ReadAsync(table, partition, [.. rowKeys, counterKey], cancellationToken);
            var delta = new SourceTally();
            var actions = new List<TableTransactionAction>();
            foreach (var key in rowKeys.Distinct(StringComparer.Ordinal))
            {
                var existing = stored.GetValueOrDefault(key);
                if (change(key, existing) is not { } update)
                {
                    continue;
                }

                update.PartitionKey = partition;
                update.RowKey = key;
                update[LedgerRows.Counted] = true;
                if (LedgerRows.FactsOf(Merge(existing, update)) is { } after)
                {
                    delta.Apply(after, +1);
                }

                if (existing?.GetBoolean(LedgerRows.Counted) == true && LedgerRows.FactsOf(existing) is { } before)
                {
                    delta.Apply(before, -1);
                }

                actions.Add(existing is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, update)
                    : new TableTransactionAction(TableTransactionActionType.UpdateMerge, update, existing.ETag));
            }

            if (actions.Count == 0)
            {
                return;
            }

            if (!delta.IsZero)
            {
                var counter = stored.GetValueOrDefault(counterKey);
                var tally = counter is null ? new SourceTally() : LedgerRows.TallyOf(counter);
                tally.Add(delta);
                var row = LedgerRows.CounterEntity(partition, counterKey, tally);
                actions.Add(counter is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, row)
                    : new TableTransactionAction(TableTransactionActionType.UpdateMerge, row, counter.ETag));
            }

            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken);
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another writer changed one of these rows or this shard first: read again, and
                // try another shard so that two writers of one source stop meeting on the same one.
                shard = Random.Shared.Next(LedgerRows.Shards);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 2 + Math.Min(attempt, 20))), cancellationToken);
            }
        }
    }

    /// <summary>The source's counters summed over their shards, and whether the one-time backfill has run.</summary>
    public static async Task<(SourceTally Tally, bool Complete)> ReadCountersAsync(
        TableClient table, string partition, CancellationToken cancellationToken)
    {
        var tally = new SourceTally();
        var complete = false;
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey ge {LedgerRows.CounterPrefix} and RowKey lt {LedgerRows.CounterRangeEnd}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            tally.Add(LedgerRows.TallyOf(row));
            complete |= row.GetBoolean(LedgerRows.Complete) == true;
        }

        return (tally, complete);
    }

    private static async Task<Dictionary<string, TableEntity>> ReadAsync(
        TableClient table, string partition, IReadOnlyList<string> rowKeys, CancellationToken cancellationToken)
    {
        var keys = string.Join(" or ", rowKeys.Distinct(StringComparer.Ordinal).Select(k => $"RowKey eq '{Escape(k)}'"));
        var filter = $"PartitionKey eq '{Escape(partition)}' and ({keys})";
        var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            rows[row.RowKey] = row;
        }

        return rows;
    }

    private static TableEntity Merge(TableEntity? existing, TableEntity update)
    {
        var merged = new TableEntity(update.PartitionKey, update.RowKey);
        foreach (var (name, value) in existing?.Concat(update) ?? update)
        {
            merged[name] = value;
        }

        return merged;
    }

    private static string Escape(string value) => value.Replace("'", "''", StringComparison.Ordinal);
}
