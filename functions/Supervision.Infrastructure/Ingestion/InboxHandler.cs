using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Domain.Credit;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Domain.Text;
using Supervision.Infrastructure.Enterprises;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>What became of one delivered file.</summary>
public sealed record InboxFileResult(string BlobName, string Outcome, int Accepted, int Rejected, string? Reason);

/// <summary>
/// Takes the batch files third parties push into <c>inbox/{sourceId}/</c>: credit-bureau scores
/// and trade-association ratings as CSV or JSON. Each file is schema-checked row by row; good
/// rows are stored, bad ones are listed with their reasons in <c>{file}.errors.json</c>: rows are
/// refused, never bent (<see cref="CreditRowChecks"/>). A file is taken once, by content: the same
/// bytes sent again change nothing and get a report naming the file taken first. Once taken, the
/// file is moved out of the inbox to <c>taken/</c>, its report beside it where the source collects
/// it (<see cref="InboxMover"/>), so a scan lists only new files. Each
/// enterprise whose credit evidence a file changed is sent to the portraits stage to be reassessed.
/// </summary>
public sealed partial class InboxHandler(
    SupervisionStorage storage,
    SourceRegistry sources,
    EnterpriseRegistry enterprises,
    RawArchive archive,
    Quarantine quarantine,
    CreditRecordStore records,
    StageMessages messages,
    InboxMover mover,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    ILogger<InboxHandler> logger)
{
    public const string ReportSuffix = InboxMover.ReportSuffix;

    /// <summary>Takes every new file.</summary>
    public async Task<IReadOnlyList<InboxFileResult>> ScanAsync(CancellationToken cancellationToken)
    {
        var results = new List<InboxFileResult>();
        var container = storage.Container(StorageNames.Containers.Inbox);
        await foreach (var blob in container.GetBlobsAsync(cancellationToken: cancellationToken))
        {
            // A report still in the inbox was written there before files were moved out; it follows its file.
            if (blob.Name.EndsWith(ReportSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            // Taken, but the move did not finish (the process stopped between copy and delete): finish it.
            if (await TakenAsync(blob, cancellationToken))
            {
                await mover.FinishMoveAsync(blob, cancellationToken);
                continue;
            }

            results.Add(await TakeAsync(blob, cancellationToken));
        }

        return results;
    }

    private async Task<bool> TakenAsync(BlobItem blob, CancellationToken cancellationToken)
    {
        var (sourceId, _) = Split(blob.Name);
        var byName = await Files.FindAsync<TableEntity>(TableExtensions.SafeKey(sourceId), NameKey(blob.Name), cancellationToken);
        return byName is not null && byName.GetString("BlobETag") == blob.Properties.ETag?.ToString();
    }

    private async Task<InboxFileResult> TakeAsync(BlobItem blob, CancellationToken cancellationToken)
    {
        var affected = new HashSet<string>(StringComparer.Ordinal);
        var (sourceId, fileName) = Split(blob.Name);
        var partition = TableExtensions.SafeKey(sourceId);
        if (blob.Properties.ContentLength > options.Value.MaxInboxFileBytes)
        {
            var head = await DownloadAsync(blob.Name, cancellationToken, 4096);
            var cap = $"{blob.Properties.ContentLength} bytes, more than the cap of {options.Value.MaxInboxFileBytes}";
            return await RejectAsync(blob, sourceId, head, new InputRejectedException(RejectionKind.Oversized, cap), cancellationToken);
        }

        var bytes = await DownloadAsync(blob.Name, cancellationToken);
        var hash = ContentHash.Sha256Hex(bytes);
        if (await Files.FindAsync<TableEntity>(partition, hash, cancellationToken) is { } earlier)
        {
            return await RepeatedAsync(blob, hash, bytes, earlier, cancellationToken);
        }

        var source = await sources.FindRegisteredAsync(sourceId, cancellationToken);
        if (source is { Status.IsEnabled: false })
        {
            var disabled = $"来源已停用，文件未接收 (source '{sourceId}' is disabled, file not taken): {source.Status.Reason}";
            return await RejectAsync(
                blob, sourceId, bytes, new InputRejectedException(RejectionKind.SourceDisabled, disabled), cancellationToken);
        }

        if (source is null || !source.Definition.IsPushed)
        {
            var why = source is null
                ? $"no registered source has the id '{sourceId}'"
                : $"source '{sourceId}' is pulled ({source.Definition.Format}), not pushed";
            return await RejectAsync(
                blob, sourceId, bytes, new InputRejectedException(RejectionKind.UnknownSource, why), cancellationToken);
        }

        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (extension is not (".csv" or ".json" or ".jsonl"))
        {
            var unsupported = $"'{extension}' files are not taken; send .csv, .json or .jsonl";
            return await RejectAsync(
                blob, sourceId, bytes, new InputRejectedException(RejectionKind.UnsupportedFormat, unsupported), cancellationToken);
        }

        await archive.KeepAsync(bytes, extension == ".csv" ? "text/csv" : "application/json", $"inbox/{blob.Name}", cancellationToken);
        var decoded = TextDecoder.Decode(bytes, registeredEncoding: source.Definition.Encoding);
        var (text, json) = (decoded.Text, extension != ".csv");
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var definition = source.Definition;
        InboxReportContent content;
        try
        {
            content = definition.Format switch
            {
                SourceFormat.CreditScores => await StoreAsync(
                    sourceId, hash, CreditRecordReader.ReadScores(text, json, today, definition.ScoreMinimum, definition.ScoreMaximum),
                    affected, r => r.Uscc, CreditRowKeys.Of, cancellationToken),
                SourceFormat.AssociationRatings => await StoreAsync(
                    sourceId, hash, CreditRecordReader.ReadRatings(text, json), affected, r => r.Uscc, CreditRowKeys.Of, cancellationToken),

                // A decision's reference number is its identity: a corrected or lifted record replaces the earlier row.
                _ => await StoreAsync(
                    sourceId, hash, CreditRecordReader.ReadGovernmentRecords(text, json, today), affected,
                    r => r.Uscc, CreditRowKeys.Of, cancellationToken),
            };
        }
        catch (InputRejectedException e)
        {
            return await RejectAsync(blob, sourceId, bytes, e, cancellationToken);
        }

        var (accepted, errors) = (content.Accepted, content.Errors);
        await WriteReportAsync(blob, hash, content with { Decoding = DecodingOf(decoded) }, cancellationToken);

        // Sent before the file is marked taken: a crash in between takes the file again (its rows
        // replace themselves) and sends again, and reassessing an enterprise twice changes nothing.
        foreach (var uscc in affected.Order(StringComparer.Ordinal))
        {
            var reassess = new ReassessEnterprise(uscc, $"inbox:{hash}", SupervisionTelemetry.CurrentTraceParent);
            await messages.SendAsync(reassess, cancellationToken);
        }

        var taken = new TableEntity(partition, hash)
        {
            ["BlobName"] = blob.Name, ["Accepted"] = accepted, ["Rejected"] = errors.Count, ["TakenAt"] = time.GetUtcNow(),
            ["BlobETag"] = blob.Properties.ETag?.ToString(), ["KeptAs"] = KeptAs(blob),
        };
        await Files.UpsertEntityAsync(taken, TableUpdateMode.Replace, cancellationToken);
        await MarkTakenAsync(blob, hash, cancellationToken);
        await mover.MoveOutAsync(blob, bytes, cancellationToken);
        logger.LogInformation("Inbox file {Blob}: {Accepted} rows taken, {Rejected} reported back", blob.Name, accepted, errors.Count);
        return new InboxFileResult(blob.Name, "taken", accepted, errors.Count, null);
    }

    private async Task<InboxReportContent> StoreAsync<T>(
        string sourceId,
        string fileHash,
        BatchReadResult<T> read,
        HashSet<string> affected,
        Func<T, string> uscc,
        Func<T, string> key,
        CancellationToken cancellationToken)
        where T : class
    {
        var errors = read.Errors.ToList();
        var takenAt = time.GetUtcNow();
        var accepted = 0;
        foreach (var (row, record) in read.Records)
        {
            if (await enterprises.FindAsync(uscc(record), cancellationToken) is null)
            {
                errors.Add(new RowError(row, $"uscc {uscc(record)} is not in the enterprise registry"));
                continue;
            }

            // Keyed by enterprise, source and date (or reference): a corrected re-delivery replaces, never duplicates.
            await records.UpsertAsync(uscc(record), sourceId, key(record), record, fileHash, takenAt, cancellationToken);
            accepted++;
            affected.Add(uscc(record));
        }

        return new InboxReportContent(accepted, errors, null) { Repeats = read.Repeats };
    }

    private async Task<InboxFileResult> RejectAsync(
        BlobItem blob, string sourceId, byte[] bytes, InputRejectedException rejection, CancellationToken cancellationToken)
    {
        var hash = ContentHash.Sha256Hex(bytes);
        await quarantine.KeepAsync(sourceId, bytes, rejection, cancellationToken);
        var content = new InboxReportContent(0, [], $"{rejection.Kind}: {rejection.Reason}");
        await WriteReportAsync(blob, hash, content, cancellationToken);
        await MarkTakenAsync(blob, hash, cancellationToken);

        // An oversized file was read only in part: the move reads the rest.
        await mover.MoveOutAsync(blob, bytes.LongLength == blob.Properties.ContentLength ? bytes : null, cancellationToken);
        logger.LogWarning("Inbox file {Blob} rejected whole ({Kind}): {Reason}", blob.Name, rejection.Kind, rejection.Reason);
        return new InboxFileResult(blob.Name, "rejected", 0, 0, $"{rejection.Kind}: {rejection.Reason}");
    }

    private async Task MarkTakenAsync(BlobItem blob, string hash, CancellationToken cancellationToken)
    {
        var (sourceId, _) = Split(blob.Name);
        await Files.UpsertEntityAsync(
            new TableEntity(TableExtensions.SafeKey(sourceId), NameKey(blob.Name))
            {
                ["BlobETag"] = blob.Properties.ETag?.ToString(), ["Sha256"] = hash, ["BlobName"] = blob.Name,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    private async Task<byte[]> DownloadAsync(string blobName, CancellationToken cancellationToken, long? length = null)
    {
        var client = storage.Container(StorageNames.Containers.Inbox).GetBlobClient(blobName);
        var range = length is { } l ? new HttpRange(0, l) : default;
        var response = await client.DownloadContentAsync(new BlobDownloadOptions { Range = range }, cancellationToken);
        return response.Value.Content.ToArray();
    }

    private TableClient Files => storage.Table(StorageNames.Tables.InboxFiles);

    private static (string SourceId, string FileName) Split(string blobName)
    {
        var slash = blobName.IndexOf('/', StringComparison.Ordinal);
        return slash <= 0 ? ("(none)", blobName) : (blobName[..slash], blobName[(slash + 1)..]);
    }

    private static string NameKey(string blobName) => "name:" + ContentHash.Sha256Hex(blobName)[..40];
}
