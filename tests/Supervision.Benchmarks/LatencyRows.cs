using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Storage;

namespace Supervision.Benchmarks;

/// <summary>The latency benchmark's measurements, in seconds, one list per path.</summary>
internal sealed record LatencyOutcome(
    List<double> Pulled,
    List<double> Signal,
    List<double> Portrait,
    List<double> Opened,
    List<double> Alerted,
    List<double> PulledToSignal,
    List<double> SignalToPortrait,
    List<double> PortraitToOpened,
    List<double> OpenedToAlert,
    int AlertsReceived);

/// <summary>
/// Reads what the pipeline wrote (ledger, signals, portrait history, cases) and the sink's
/// receipts, and turns them into latencies. Times are the rows' server timestamps (Azurite runs
/// on this machine's clock) against the moment each item became available in its feed.
/// </summary>
internal static class LatencyRows
{
    public static async Task<LatencyOutcome> WaitAndCollectAsync(
        LiveHost host, Dictionary<string, PublishedItem> items, TimeSpan settleLimit)
    {
        var storage = host.Services.GetRequiredService<SupervisionStorage>();
        var deadline = DateTimeOffset.UtcNow + settleLimit;
        var last = string.Empty;
        var stableFor = 0;
        while (DateTimeOffset.UtcNow < deadline && stableFor < 3)
        {
            await Task.Delay(2000);
            var signals = await CountAsync(storage.Table(StorageNames.Tables.Signals));
            var history = await CountAsync(storage.Table(StorageNames.Tables.PortraitHistory));
            var state = string.Create(CultureInfo.InvariantCulture, $"{signals}/{history}/{host.Publisher.Alerts.Count}");
            stableFor = state == last ? stableFor + 1 : 0;
            last = state;
        }

        return await CollectAsync(storage, host.Publisher, items);
    }

    private static async Task<int> CountAsync(TableClient table)
    {
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            count++;
        }

        return count;
    }

    private static async Task<LatencyOutcome> CollectAsync(
        SupervisionStorage storage, BenchPublisher publisher, Dictionary<string, PublishedItem> items)
    {
        var outcome = new LatencyOutcome([], [], [], [], [], [], [], [], [], publisher.Alerts.Count);
        var pulledAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await foreach (var row in storage.Table(StorageNames.Tables.SeenItems).QueryAsync<TableEntity>())
        {
            if (items.ContainsKey(row.RowKey) && row.GetDateTimeOffset("ArrivedAt") is { } arrived)
            {
                pulledAt[row.RowKey] = arrived;
            }
        }

        var signalAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await foreach (var row in storage.Table(StorageNames.Tables.Signals).QueryAsync<TableEntity>(select: ["RowKey", "Timestamp"]))
        {
            if (items.ContainsKey(row.RowKey) && row.Timestamp is { } written)
            {
                signalAt[row.RowKey] = written;
            }
        }

        var history = new List<(string Uscc, string CausedBy, DateTimeOffset At, CreditPortrait Portrait)>();
        await foreach (var row in storage.Table(StorageNames.Tables.PortraitHistory).QueryAsync<TableEntity>())
        {
            var portrait = JsonSerializer.Deserialize<CreditPortrait>(row.GetString("Json"), MessageJson.Options)!;
            history.Add((row.PartitionKey, row.RowKey, row.Timestamp!.Value, portrait));
        }

        var historyOf = history.OrderBy(h => h.At).ToLookup(h => h.Uscc);
        foreach (var (id, item) in items)
        {
            if (pulledAt.TryGetValue(id, out var pulled))
            {
                outcome.Pulled.Add(Seconds(item.AvailableAt, pulled));
            }

            if (!signalAt.TryGetValue(id, out var signal))
            {
                continue;
            }

            outcome.Signal.Add(Seconds(item.AvailableAt, signal));
            if (pulledAt.TryGetValue(id, out pulled))
            {
                outcome.PulledToSignal.Add(Seconds(pulled, signal));
            }

            // The first portrait that counts this item: it lists every adverse contribution; a
            // signal that added no risk is counted by any portrait computed after it was stored.
            var first = historyOf[item.Uscc].FirstOrDefault(h =>
                h.Portrait.Contributions.Any(c => c.ItemId == id) || (h.At >= signal && h.Portrait.ComputedAt >= signal));
            if (first.Portrait is not null)
            {
                outcome.Portrait.Add(Seconds(item.AvailableAt, first.At));
                outcome.SignalToPortrait.Add(Seconds(signal, first.At));
            }
        }

        await CollectCasesAsync(storage, publisher, items, historyOf, outcome);
        return outcome;
    }

    /// <summary>
    /// Per case: the item that tipped it is the cause of the first stored portrait that meets the
    /// case's memorandum; opened is the case row's first write; alerted the sink's first receipt.
    /// </summary>
    private static async Task CollectCasesAsync(
        SupervisionStorage storage,
        BenchPublisher publisher,
        Dictionary<string, PublishedItem> items,
        ILookup<string, (string Uscc, string CausedBy, DateTimeOffset At, CreditPortrait Portrait)> historyOf,
        LatencyOutcome outcome)
    {
        var catalog = MemorandumCatalog.LoadEmbedded();
        var opened = new Dictionary<string, (string Uscc, string Memorandum, DateTimeOffset At)>(StringComparer.Ordinal);
        await foreach (var row in storage.Table(StorageNames.Tables.Cases).QueryAsync<TableEntity>())
        {
            if (row.GetString("Json") is not { } json || row.Timestamp is not { } at)
            {
                continue;
            }

            var record = JsonSerializer.Deserialize<CaseRecord>(json, MessageJson.Options);
            if (record?.CaseId is null || (opened.TryGetValue(record.CaseId, out var seen) && seen.At <= at))
            {
                continue;
            }

            opened[record.CaseId] = (record.Uscc, record.MemorandumId, at);
        }

        var firstAlert = publisher.Alerts
            .Where(a => a.CaseId is not null)
            .GroupBy(a => a.CaseId!)
            .ToDictionary(g => g.Key, g => g.Min(a => a.ReceivedAt), StringComparer.Ordinal);
        foreach (var (caseId, (uscc, memorandumId, at)) in opened)
        {
            var memorandum = catalog.Get(memorandumId);
            var tipping = historyOf[uscc].FirstOrDefault(h => catalog.TriggeredBy(h.Portrait).Any(m => m.Id == memorandum.Id));
            if (tipping.Portrait is null || !items.TryGetValue(tipping.CausedBy, out var item))
            {
                continue;
            }

            outcome.Opened.Add(Seconds(item.AvailableAt, at));
            outcome.PortraitToOpened.Add(Seconds(tipping.At, at));
            if (firstAlert.TryGetValue(caseId, out var alerted))
            {
                outcome.Alerted.Add(Seconds(item.AvailableAt, alerted));
                outcome.OpenedToAlert.Add(Seconds(at, alerted));
            }
        }
    }

    private static double Seconds(DateTimeOffset from, DateTimeOffset to) => (to - from).TotalSeconds;
}
