using System.Text.Json;
using Azure.Data.Tables;
using Supervision.Domain.Portraits;

namespace Supervision.Infrastructure.Storage;

/// <summary>
/// Signals (table <c>signals</c>), one row per enterprise and item: scoring writes them, the
/// portraits stage reads them. Keyed by (USCC, item id), so scoring an item twice writes one row.
/// </summary>
public sealed class SignalStore(SupervisionStorage storage)
{
    private TableClient Table => storage.Table(StorageNames.Tables.Signals);

    public Task UpsertAsync(Signal signal, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(
            new JsonEntity(signal.Uscc, signal.ItemId, JsonSerializer.Serialize(signal, MessageJson.Options)),
            TableUpdateMode.Replace,
            cancellationToken);

    /// <summary>One enterprise's signal of one item, or null (one point read).</summary>
    public async Task<Signal?> FindAsync(string uscc, string itemId, CancellationToken cancellationToken) =>
        (await Table.FindAsync<JsonEntity>(uscc, itemId, cancellationToken))?.Read<Signal>();

    public async Task<IReadOnlyList<Signal>> OfEnterpriseAsync(string uscc, CancellationToken cancellationToken)
    {
        var signals = new List<Signal>();
        await foreach (var entity in Table.QueryAsync<JsonEntity>(e => e.PartitionKey == uscc, cancellationToken: cancellationToken))
        {
            signals.Add(entity.Read<Signal>());
        }

        return signals;
    }
}
