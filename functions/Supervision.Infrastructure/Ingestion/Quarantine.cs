using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Paging;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// Holds input that could not be processed: the bytes in the quarantine container and a record
/// with the reason in the quarantine table, where an operator finds both.
/// </summary>
public sealed class Quarantine(SupervisionStorage storage, ItemLedger ledger, TimeProvider time)
{
    private TableClient Table => storage.Table(StorageNames.Tables.Quarantine);

    public Task<QuarantineEntity> KeepAsync(
        string sourceId, byte[] bytes, InputRejectedException rejection, CancellationToken cancellationToken) =>
        KeepAsync(sourceId, bytes, rejection.Reason, cancellationToken, rejection.Kind.ToString());

    public async Task<QuarantineEntity> KeepAsync(
        string sourceId, byte[] bytes, string reason, CancellationToken cancellationToken, string kind = "Other")
    {
        var hash = ContentHash.Sha256Hex(bytes);
        var blobName = $"{TableExtensions.SafeKey(sourceId)}/{hash}";
        try
        {
            await storage.Container(StorageNames.Containers.Quarantine).GetBlobClient(blobName)
                .UploadAsync(new BinaryData(bytes), overwrite: false, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // The same bytes were quarantined before; the record below still notes this arrival.
        }

        var record = new QuarantineEntity
        {
            PartitionKey = TableExtensions.SafeKey(sourceId),
            RowKey = hash,
            Reason = reason,
            Kind = kind,
            BlobName = blobName,
            Bytes = bytes.Length,
            QuarantinedAt = time.GetUtcNow(),
        };
        await Table.UpsertEntityAsync(record, TableUpdateMode.Replace, cancellationToken);
        // After the record, so a crash in between leaves a record the retried delivery counts
        // (the marker's transaction moves the source's quarantined counter exactly once).
        await ledger.MarkQuarantinedAsync(sourceId, hash, cancellationToken);
        return record;
    }

    /// <summary>The content hashes of a source's quarantined inputs, for recounting and backfilling its record.</summary>
    public async Task<IReadOnlyList<string>> HashesAsync(string sourceId, CancellationToken cancellationToken)
    {
        var hashes = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableExtensions.SafeKey(sourceId)}");
        await foreach (var row in Table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            hashes.Add(row.RowKey);
        }

        return hashes;
    }

    /// <summary>One page of quarantined inputs, by source and content hash.</summary>
    public Task<ListPage<QuarantineEntity>> PageAsync(PageRequest page, CancellationToken cancellationToken) =>
        Table.ReadPageAsync<QuarantineEntity>(null, page, cancellationToken);

    public async Task<IReadOnlyList<QuarantineEntity>> ListAsync(int max, CancellationToken cancellationToken)
    {
        var records = new List<QuarantineEntity>();
        await foreach (var record in Table.QueryAsync<QuarantineEntity>(cancellationToken: cancellationToken))
        {
            records.Add(record);
            if (records.Count >= max)
            {
                break;
            }
        }

        return records;
    }
}

/// <summary>The operator-visible record of one quarantined input. Keyed by source and content hash.</summary>
public sealed class QuarantineEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Reason { get; set; } = string.Empty;

    /// <summary>The kind of rejection (Malformed, DtdProhibited, Oversized …), for filtering.</summary>
    public string Kind { get; set; } = "Other";

    public string BlobName { get; set; } = string.Empty;

    public int Bytes { get; set; }

    public DateTimeOffset QuarantinedAt { get; set; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{PartitionKey}/{RowKey}: {Reason}");
}
