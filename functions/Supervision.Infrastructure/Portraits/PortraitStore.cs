using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Supervision.Domain.Portraits;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Portraits;

/// <summary>
/// Each enterprise's current portrait (table <c>portraits</c>), its history (<c>portraithistory</c>),
/// and the day it next changes by itself (<see cref="PortraitDueIndex"/>).
/// </summary>
public sealed class PortraitStore(SupervisionStorage storage, PortraitDueIndex due)
{
    private const string CurrentRow = "current";

    private TableClient Current => storage.Table(StorageNames.Tables.Portraits);

    private TableClient History => storage.Table(StorageNames.Tables.PortraitHistory);

    /// <summary>
    /// Saves the portrait as current unless a portrait computed from more evidence stands, and in
    /// the history under what caused it (so reassessing for the same cause rewrites its history
    /// row). Evidence is only ever added, so more evidence means newer. Returns the portrait that
    /// stands, or null when another writer got in between: then recompute and try again.
    /// </summary>
    public async Task<CreditPortrait?> TrySaveAsync(CreditPortrait portrait, string causedBy, CancellationToken cancellationToken)
    {
        var current = await Current.FindAsync<JsonEntity>(portrait.Uscc, CurrentRow, cancellationToken);
        var standing = current?.Read<CreditPortrait>();
        if (standing is not null && (standing.SignalCount > portrait.SignalCount
            || (standing.SignalCount == portrait.SignalCount && standing.CreditRecordCount > portrait.CreditRecordCount)))
        {
            return standing;
        }

        var json = JsonSerializer.Serialize(portrait, MessageJson.Options);
        var row = new JsonEntity(portrait.Uscc, CurrentRow, json);
        try
        {
            if (current is null)
            {
                await Current.AddEntityAsync(row, cancellationToken);
            }
            else
            {
                await Current.UpdateEntityAsync(row, current.ETag, TableUpdateMode.Replace, cancellationToken);
            }
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return null;
        }

        await History.UpsertEntityAsync(
            new JsonEntity(portrait.Uscc, TableExtensions.SafeKey(causedBy), json), TableUpdateMode.Replace, cancellationToken);
        await due.MoveAsync(portrait.Uscc, standing?.NextChangeAt, portrait.NextChangeAt, cancellationToken);
        return portrait;
    }

    public async Task<CreditPortrait?> GetAsync(string uscc, CancellationToken cancellationToken) =>
        (await Current.FindAsync<JsonEntity>(uscc, CurrentRow, cancellationToken))?.Read<CreditPortrait>();

    public async Task<IReadOnlyList<CreditPortrait>> HistoryAsync(string uscc, CancellationToken cancellationToken)
    {
        var history = new List<CreditPortrait>();
        await foreach (var entity in History.QueryAsync<JsonEntity>(e => e.PartitionKey == uscc, cancellationToken: cancellationToken))
        {
            history.Add(entity.Read<CreditPortrait>());
        }

        return history.OrderBy(p => p.ComputedAt).ToList();
    }
}
