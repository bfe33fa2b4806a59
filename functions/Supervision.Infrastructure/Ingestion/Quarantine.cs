using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Paging;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// Holds input that could not be processed: the bytes in the quarantine container and a record
/// with the reason in the quarantine table, where an operator finds both. The bytes are stored
/// once, under their SHA-256 (<c>sha256/{hash}</c>), whichever source sent them and however often;
/// a body rejected again adds an occurrence to its record (count, first and last seen, latest
/// reason) instead of being uploaded again, so a publisher that serves the same oversized body on
/// every pull costs a table update per pull, not megabytes of blobs.
/// </summary>
public sealed class Quarantine(SupervisionStorage storage, ItemLedger ledger, TimeProvider time)
{
    /// <summary>Attempts at the record's read-modify-write before a concurrent writer's change is taken as lost.</summary>
    private const int RecordAttempts = 8;

    private TableClient Table => storage.Table(StorageNames.Tables.Quarantine);

    /// <summary>Where a body is stored: named by its content hash alone, so the same bytes are one blob.</summary>
    public static string BlobNameOf(string contentHash) => $"sha256/{contentHash}";

    public Task<QuarantineEntity> KeepAsync(
        string sourceId, byte[] bytes, InputRejectedException rejection, CancellationToken cancellationToken) =>
        KeepAsync(sourceId, bytes, rejection.Reason, cancellationToken, rejection.Kind.ToString());

    public async Task<QuarantineEntity> KeepAsync(
        string sourceId, byte[] bytes, string reason, CancellationToken cancellationToken, string kind = "Other")
    {
        var hash = ContentHash.Sha256Hex(bytes);
        var record = await AddOccurrenceAsync(TableExtensions.SafeKey(sourceId), hash, bytes, reason, kind, cancellationToken);

        // After the record, so a crash in between leaves a record the retried delivery counts
        // (the marker's transaction moves the source's quarantined counter exactly once, per body).
        await ledger.MarkQuarantinedAsync(sourceId, hash, cancellationToken);
        return record;
    }

    /// <summary>
    /// Creates the source's record of this body (storing the bytes first, unless stored already) or
    /// adds an occurrence to it, under the record's ETag so concurrent rejections each count.
    /// </summary>
    private async Task<QuarantineEntity> AddOccurrenceAsync(
        string partition, string hash, byte[] bytes, string reason, string kind, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            var record = await Table.FindAsync<QuarantineEntity>(partition, hash, cancellationToken);
            try
            {
                if (record is null)
                {
                    // The record is written after the bytes, so a record always has its blob.
                    await StoreOnceAsync(hash, bytes, cancellationToken);
                    record = new QuarantineEntity
                    {
                        PartitionKey = partition,
                        RowKey = hash,
                        Reason = reason,
                        Kind = kind,
                        BlobName = BlobNameOf(hash),
                        Bytes = bytes.Length,
                        QuarantinedAt = now,
                        LastSeenAt = now,
                        Occurrences = 1,
                    };
                    await Table.AddEntityAsync(record, cancellationToken);
                    return record;
                }

                // A record from before occurrences were counted stands for one.
                record.Occurrences = Math.Max(record.Occurrences, 1) + 1;
                record.LastSeenAt = now;
                record.Reason = reason;
                record.Kind = kind;
                await Table.UpdateEntityAsync(record, record.ETag, TableUpdateMode.Replace, cancellationToken);
                return record;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < RecordAttempts)
            {
                // Another rejection of the same body wrote the record first: read it again and add to it.
            }
        }
    }

    private async Task StoreOnceAsync(string hash, byte[] bytes, CancellationToken cancellationToken)
    {
        var blob = storage.Container(StorageNames.Containers.Quarantine).GetBlobClient(BlobNameOf(hash));
        // Asked first, because a conditional upload still sends every byte before the service refuses it.
        if (await blob.ExistsAsync(cancellationToken))
        {
            return;
        }

        try
        {
            await blob.UploadAsync(new BinaryData(bytes), overwrite: false, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Stored by a concurrent rejection of the same bytes between the question and the upload.
        }
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

    /// <summary>One page of quarantined inputs, by source and content hash, each with its occurrences.</summary>
    public async Task<ListPage<QuarantinedInput>> PageAsync(PageRequest page, CancellationToken cancellationToken) =>
        (await Table.ReadPageAsync<QuarantineEntity>(null, page, cancellationToken)).Select(QuarantinedInput.Of);

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

/// <summary>
/// The operator-visible record of one quarantined body from one source and its occurrences.
/// Keyed by source and content hash.
/// </summary>
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

    /// <summary>When the body was first rejected (from this source).</summary>
    public DateTimeOffset QuarantinedAt { get; set; }

    /// <summary>When it was last rejected; equal to <see cref="QuarantinedAt"/> while it has one occurrence.</summary>
    public DateTimeOffset? LastSeenAt { get; set; }

    /// <summary>How often this source's input was rejected with these bytes (0 on a record older than the count: once).</summary>
    public int Occurrences { get; set; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{PartitionKey}/{RowKey}: {Reason}");
}

/// <summary>A quarantined body as operators list it: where it came from, why, where its bytes are, and how often it came.</summary>
public sealed record QuarantinedInput(
    string Source,
    string Sha256,
    string Kind,
    string Reason,
    string BlobName,
    int Bytes,
    int Occurrences,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSeenAt)
{
    public static QuarantinedInput Of(QuarantineEntity record) => new(
        record.PartitionKey,
        record.RowKey,
        record.Kind,
        record.Reason,
        record.BlobName,
        record.Bytes,
        Math.Max(record.Occurrences, 1),
        record.QuarantinedAt,
        record.LastSeenAt ?? record.QuarantinedAt);
}
