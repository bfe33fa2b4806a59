using System.Text.Json;
using Supervision.Domain.Audit;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// Append-only record of decisions and state changes. Each entry has a key derived from what it
/// records, so an activity that runs twice appends once.
/// </summary>
public sealed class AuditLog(SupervisionStorage storage)
{
    public Task<bool> AppendAsync(AuditEntry entry, string key, CancellationToken cancellationToken) =>
        storage.Table(StorageNames.Tables.Audit).TryAddAsync(
            new JsonEntity(TableExtensions.SafeKey(entry.Subject), TableExtensions.SafeKey(key), JsonSerializer.Serialize(entry, MessageJson.Options)),
            cancellationToken);

    public async Task<bool> ExistsAsync(string subject, string key, CancellationToken cancellationToken) =>
        await storage.Table(StorageNames.Tables.Audit).FindAsync<JsonEntity>(TableExtensions.SafeKey(subject), TableExtensions.SafeKey(key), cancellationToken) is not null;

    public async Task<IReadOnlyList<AuditEntry>> ForSubjectAsync(string subject, CancellationToken cancellationToken)
    {
        var entries = new List<AuditEntry>();
        var partition = TableExtensions.SafeKey(subject);
        await foreach (var entity in storage.Table(StorageNames.Tables.Audit).QueryAsync<JsonEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            entries.Add(entity.Read<AuditEntry>());
        }

        return entries.OrderBy(e => e.At).ToList();
    }
}
