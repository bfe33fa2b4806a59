using System.Text.Json;
using Azure.Data.Tables;
using Supervision.Domain.Credit;

namespace Supervision.Infrastructure.Storage;

/// <summary>
/// One stored piece of third-party credit evidence: a <see cref="CreditScoreRecord"/>, an
/// <see cref="AssociationRating"/> or a <see cref="GovernmentRecord"/>, the file it came in, and
/// when that file was taken (null for records stored before that was recorded: they count as old).
/// </summary>
public sealed record StoredCreditRecord(string SourceId, object Record, string FileSha256, DateTimeOffset? TakenAt);

/// <summary>
/// Credit records (table <c>creditrecords</c>): the inbox writes what bureaus, associations and
/// authorities deliver; the portraits stage reads them. One row per enterprise, source and date
/// (or an authority's reference number), so a corrected re-delivery replaces, never duplicates.
/// </summary>
public sealed class CreditRecordStore(SupervisionStorage storage)
{
    private TableClient Table => storage.Table(StorageNames.Tables.CreditRecords);

    /// <summary>Stores a record under its enterprise, source and <paramref name="key"/> (its date or reference).</summary>
    public Task UpsertAsync<T>(
        string uscc, string sourceId, string key, T record, string fileSha256, DateTimeOffset takenAt, CancellationToken cancellationToken)
        where T : class =>
        Table.UpsertEntityAsync(
            new TableEntity(uscc, TableExtensions.SafeKey($"{sourceId}|{key}"))
            {
                ["SourceId"] = sourceId,
                ["Record"] = JsonSerializer.Serialize(record, SourceTable.Json),
                ["Kind"] = typeof(T).Name,
                ["FileSha256"] = fileSha256,
                ["TakenAt"] = takenAt,
            },
            TableUpdateMode.Replace,
            cancellationToken);

    /// <summary>The enterprise's records of the kinds known here; a row of another kind is left out.</summary>
    public async Task<IReadOnlyList<StoredCreditRecord>> OfEnterpriseAsync(string uscc, CancellationToken cancellationToken)
    {
        var records = new List<StoredCreditRecord>();
        await foreach (var row in Table.QueryAsync<TableEntity>(e => e.PartitionKey == uscc, cancellationToken: cancellationToken))
        {
            var json = row.GetString("Record") ?? "null";
            object? record = row.GetString("Kind") switch
            {
                nameof(CreditScoreRecord) => JsonSerializer.Deserialize<CreditScoreRecord>(json, SourceTable.Json),
                nameof(AssociationRating) => JsonSerializer.Deserialize<AssociationRating>(json, SourceTable.Json),
                nameof(GovernmentRecord) => JsonSerializer.Deserialize<GovernmentRecord>(json, SourceTable.Json),
                _ => null,
            };
            if (record is not null)
            {
                var (sourceId, file) = (row.GetString("SourceId") ?? string.Empty, row.GetString("FileSha256") ?? string.Empty);
                records.Add(new StoredCreditRecord(sourceId, record, file, row.GetDateTimeOffset("TakenAt")));
            }
        }

        return records;
    }
}
