using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Supervision.Domain.Portraits;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Portraits;

/// <summary>Signals per enterprise, the current portrait, and its history.</summary>
public sealed class PortraitStore(SupervisionStorage storage)
{
    public Task UpsertSignalAsync(Signal signal, CancellationToken cancellationToken) =>
        storage.Table(StorageNames.Tables.Signals).UpsertEntityAsync(
            new JsonEntity(signal.Uscc, signal.ItemId, JsonSerializer.Serialize(signal, MessageJson.Options)),
            TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyList<Signal>> SignalsAsync(string uscc, CancellationToken cancellationToken)
    {
        var signals = new List<Signal>();
        var query = storage.Table(StorageNames.Tables.Signals)
            .QueryAsync<JsonEntity>(e => e.PartitionKey == uscc, cancellationToken: cancellationToken);
        await foreach (var entity in query)
        {
            signals.Add(entity.Read<Signal>());
        }

        return signals;
    }

    /// <summary>
    /// Saves the portrait as current, and in the history under the item that caused it, so that
    /// reprocessing an item rewrites its history row instead of adding one.
    /// </summary>
    public async Task SaveAsync(CreditPortrait portrait, string causedByItemId, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(portrait, MessageJson.Options);
        await storage.Table(StorageNames.Tables.Portraits)
            .UpsertEntityAsync(new JsonEntity(portrait.Uscc, "current", json), TableUpdateMode.Replace, cancellationToken);
        await storage.Table(StorageNames.Tables.PortraitHistory)
            .UpsertEntityAsync(new JsonEntity(portrait.Uscc, causedByItemId, json), TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<CreditPortrait?> GetAsync(string uscc, CancellationToken cancellationToken) =>
        (await storage.Table(StorageNames.Tables.Portraits).FindAsync<JsonEntity>(uscc, "current", cancellationToken))?.Read<CreditPortrait>();

    public async Task<IReadOnlyList<CreditPortrait>> HistoryAsync(string uscc, CancellationToken cancellationToken)
    {
        var history = new List<CreditPortrait>();
        await foreach (var entity in storage.Table(StorageNames.Tables.PortraitHistory).QueryAsync<JsonEntity>(e => e.PartitionKey == uscc, cancellationToken: cancellationToken))
        {
            history.Add(entity.Read<CreditPortrait>());
        }

        return history.OrderBy(p => p.ComputedAt).ToList();
    }
}
