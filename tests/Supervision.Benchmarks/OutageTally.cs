using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Supervision.Infrastructure.Storage;

namespace Supervision.Benchmarks;

/// <summary>What became of the drill's items, read from storage.</summary>
internal sealed record OutageOutcome(
    int Signals,
    int Unlinked,
    int Poisoned,
    int PoisonMessages,
    int PoisonRecords,
    int Missing,
    int LedgerOnly,
    int Duplicates,
    int LedgerRows,
    IReadOnlyList<string> PoisonReasons,
    string Leftovers)
{
    /// <summary>Every poison message has its reason when there are at least as many poisoned failure records.</summary>
    public bool PoisonReasoned => PoisonRecords >= PoisonMessages;
}

/// <summary>
/// Reads each item's outcome from where the pipeline leaves it: a row in <c>signals</c> (keyed by
/// enterprise and item id), a row in <c>unlinkedmentions</c>, or a copy in the scoring stage's
/// poison queue, with its reason in <c>messagefailures</c>. A duplicate is an item found more
/// than once across all three.
/// </summary>
internal sealed class OutageTally(SupervisionStorage storage)
{
    // Poison messages seen so far, by message id: reading the queue hides what it read for a while.
    private readonly Dictionary<string, string> poison = new(StringComparer.Ordinal);

    public async Task<int> AccountedAsync(IEnumerable<string> itemIds, CancellationToken cancellationToken)
    {
        var found = await FindAsync(cancellationToken);
        return itemIds.Count(found.ContainsKey);
    }

    public async Task<OutageOutcome> CollectAsync(IEnumerable<string> itemIds, int feeds, CancellationToken cancellationToken)
    {
        var ids = itemIds.ToHashSet(StringComparer.Ordinal);
        var found = await FindAsync(cancellationToken);
        var ledger = new HashSet<string>(StringComparer.Ordinal);
        var ledgerTable = storage.Table(StorageNames.Tables.SeenItems);
        for (var feed = 0; feed < feeds; feed++)
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableExtensions.SafeKey(LiveHost.SourceId(feed))}");
            await foreach (var row in ledgerTable.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
            {
                if (ids.Contains(row.RowKey))
                {
                    ledger.Add(row.RowKey);
                }
            }
        }

        var reasons = new List<string>();
        var records = 0;
        var failures = storage.Table(StorageNames.Tables.MessageFailures);
        var poisonedFilter = TableClient.CreateQueryFilter($"PartitionKey eq {StorageNames.Queues.ItemsToScore} and Poisoned eq true");
        await foreach (var row in failures.QueryAsync<TableEntity>(poisonedFilter, cancellationToken: cancellationToken))
        {
            records++;
            reasons.Add(row.GetString("Reason") ?? "(none)");
        }

        int Count(string outcome) => ids.Count(id => found.TryGetValue(id, out var all) && all.Contains(outcome));
        var missing = ids.Where(id => !found.ContainsKey(id)).ToList();
        return new OutageOutcome(
            Count("signal"),
            Count("unlinked"),
            Count("poison"),
            poison.Count,
            records,
            missing.Count,
            missing.Count(ledger.Contains),
            ids.Count(id => found.TryGetValue(id, out var all) && all.Count > 1),
            ledger.Count,
            [.. reasons.GroupBy(r => r.Length > 160 ? r[..160] + "…" : r).Select(g => $"{g.Count()} × {g.Key}")],
            await LeftoversAsync(cancellationToken));
    }

    /// <summary>Every outcome found, by item id (more than one entry: a duplicate).</summary>
    private async Task<Dictionary<string, List<string>>> FindAsync(CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string itemId, string outcome)
        {
            if (!found.TryGetValue(itemId, out var all))
            {
                found[itemId] = all = [];
            }

            all.Add(outcome);
        }

        await foreach (var row in storage.Table(StorageNames.Tables.Signals)
            .QueryAsync<TableEntity>(select: ["RowKey"], cancellationToken: cancellationToken))
        {
            Add(row.RowKey, "signal");
        }

        await foreach (var row in storage.Table(StorageNames.Tables.UnlinkedMentions)
            .QueryAsync<TableEntity>(select: ["RowKey"], cancellationToken: cancellationToken))
        {
            Add(row.RowKey, "unlinked");
        }

        var queue = storage.Queue(StorageNames.Queues.PoisonOf(StorageNames.Queues.ItemsToScore));
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), cancellationToken)).Value;
            if (batch.Length == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                poison[message.MessageId] = message.Body.ToString();
            }
        }

        foreach (var body in poison.Values)
        {
            foreach (var itemId in ItemIdsIn(body))
            {
                Add(itemId, "poison");
            }
        }

        return found;
    }

    /// <summary>The item ids in an items-to-score message: one item, or a group of them.</summary>
    private static IEnumerable<string> ItemIdsIn(string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            yield break;
        }

        using (document)
        {
            var root = document.RootElement;
            var items = root.TryGetProperty("items", out var many) ? many.EnumerateArray().ToList()
                : root.TryGetProperty("item", out var one) ? [one]
                : [];
            foreach (var item in items)
            {
                if (item.TryGetProperty("itemId", out var id) && id.GetString() is { } text)
                {
                    yield return text;
                }
            }
        }
    }

    private async Task<string> LeftoversAsync(CancellationToken cancellationToken)
    {
        var left = new List<string>();
        foreach (var name in StorageNames.Queues.All.SelectMany(q => new[] { q, StorageNames.Queues.PoisonOf(q) }))
        {
            var count = (await storage.Queue(name).GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
            if (count > 0)
            {
                left.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {count}"));
            }
        }

        return left.Count == 0 ? "none" : string.Join(", ", left);
    }
}

/// <summary>What the host's health route answered through the drill: each change of status, and when.</summary>
internal sealed class HealthWatch(HttpClient http, Stopwatch clock)
{
    private readonly List<(double Seconds, string Answer)> changes = [];

    public async Task PollAsync(TimeSpan every, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string answer;
            try
            {
                using var response = await http.GetAsync(new Uri("api/health", UriKind.Relative), cancellationToken);
                answer = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                answer = "no answer";
            }

            if (changes.Count == 0 || changes[^1].Answer != answer)
            {
                changes.Add((clock.Elapsed.TotalSeconds, answer));
            }

            try
            {
                await Task.Delay(every, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public string Transitions() => string.Join(
        " → ", changes.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Answer} (from {c.Seconds:N0} s)")));
}

/// <summary>Counts the warnings of one log category (the sweep's "sent again"), so the drill can say how often it acted.</summary>
internal sealed class CategoryCounter(string category) : Microsoft.Extensions.Logging.ILoggerProvider
{
    private int count;

    public int Count => count;

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Counting(this, categoryName == category);

    public void Dispose()
    {
    }

    private sealed class Counting(CategoryCounter owner, bool counts) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => counts;

        public void Log<TState>(
            Microsoft.Extensions.Logging.LogLevel logLevel,
            Microsoft.Extensions.Logging.EventId eventId,
            TState state,
            Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (counts && logLevel >= Microsoft.Extensions.Logging.LogLevel.Warning)
            {
                Interlocked.Increment(ref owner.count);
            }
        }
    }
}
