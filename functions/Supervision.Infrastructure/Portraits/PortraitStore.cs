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
    /// Saves the portrait as current unless a portrait computed from more signals stands, and in
    /// the history under the item that caused it (so reprocessing an item rewrites its history row).
    /// Signals are only ever added, so more signals means newer. Returns the portrait that stands,
    /// or null when another writer got in between: then recompute from the signals and try again.
    /// </summary>
    public async Task<CreditPortrait?> TrySaveAsync(CreditPortrait portrait, string causedByItemId, CancellationToken cancellationToken)
    {
        var table = storage.Table(StorageNames.Tables.Portraits);
        var current = await table.FindAsync<JsonEntity>(portrait.Uscc, "current", cancellationToken);
        var standing = current?.Read<CreditPortrait>();
        if (standing is not null && (standing.SignalCount > portrait.SignalCount
            || (standing.SignalCount == portrait.SignalCount && standing.CreditRecordCount > portrait.CreditRecordCount)))
        {
            return standing;
        }

        var json = JsonSerializer.Serialize(portrait, MessageJson.Options);
        try
        {
            if (current is null)
            {
                await table.AddEntityAsync(new JsonEntity(portrait.Uscc, "current", json), cancellationToken);
            }
            else
            {
                await table.UpdateEntityAsync(new JsonEntity(portrait.Uscc, "current", json), current.ETag, TableUpdateMode.Replace, cancellationToken);
            }
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }

        await storage.Table(StorageNames.Tables.PortraitHistory)
            .UpsertEntityAsync(new JsonEntity(portrait.Uscc, causedByItemId, json), TableUpdateMode.Replace, cancellationToken);
        return portrait;
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
