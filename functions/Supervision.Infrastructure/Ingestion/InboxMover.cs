using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// Where inbox files go once taken, so that a scan of <c>inbox/</c> lists only files not taken yet:
/// <c>taken/{sourceId}/{delivery day}/{file}</c>, the delivery day being the UTC day the file was
/// last written to the inbox, with its <c>{file}.errors.json</c> report beside it. A move is a copy
/// then a delete; the delete is conditional on the bytes taken, so a file sent again under the same
/// name meanwhile stays in the inbox to be taken in turn.
/// </summary>
public sealed class InboxMover(SupervisionStorage storage, ILogger<InboxMover> logger)
{
    public const string ReportSuffix = ".errors.json";
    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Where a delivered file is kept once taken, in the <c>taken</c> container.</summary>
    public static string TakenName(BlobItem blob)
    {
        var slash = blob.Name.LastIndexOf('/');
        var (folder, file) = slash < 0 ? (string.Empty, blob.Name) : (blob.Name[..(slash + 1)], blob.Name[(slash + 1)..]);
        var delivered = (blob.Properties.LastModified ?? DateTimeOffset.UnixEpoch).UtcDateTime;
        return $"{folder}{delivered.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/{file}";
    }

    /// <summary>
    /// Writes the file's report beside where the file is kept once taken; a <paramref name="variant"/>
    /// names a second report for the same place (a repeat delivered under the same name the same day).
    /// </summary>
    public async Task WriteReportAsync(BlobItem blob, object report, CancellationToken cancellationToken, string? variant = null) =>
        await Taken.GetBlobClient(TakenName(blob) + (variant is null ? string.Empty : $".{variant}") + ReportSuffix)
            .UploadAsync(BinaryData.FromString(JsonSerializer.Serialize(report, ReportJson)), overwrite: true, cancellationToken);

    /// <summary>
    /// Copies the file to its kept place and deletes it from the inbox. Run again after a crash at
    /// any point, it ends the same way: the copy is overwritten with the same bytes, the delete is idempotent.
    /// </summary>
    public async Task MoveOutAsync(BlobItem blob, byte[]? bytes, CancellationToken cancellationToken)
    {
        var source = Inbox.GetBlobClient(blob.Name);
        var target = Taken.GetBlobClient(TakenName(blob));
        var upload = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = blob.Properties.ContentType },
            Metadata = new Dictionary<string, string>
            {
                ["inbox_name"] = Uri.EscapeDataString(blob.Name),
                ["delivered_at"] = (blob.Properties.LastModified ?? DateTimeOffset.UnixEpoch).ToString("O", CultureInfo.InvariantCulture),
            },
        };
        var same = new BlobRequestConditions { IfMatch = blob.Properties.ETag };
        try
        {
            if (bytes is not null)
            {
                await target.UploadAsync(BinaryData.FromBytes(bytes), upload, cancellationToken);
            }
            else
            {
                // Streamed rather than a server-side copy, which would need the inbox readable by
                // URL (a SAS) under identity-based access; the file is capped anyway, or was refused whole.
                var read = new BlobOpenReadOptions(allowModifications: false) { Conditions = same };
                await using var stream = await source.OpenReadAsync(read, cancellationToken);
                await target.UploadAsync(stream, upload, cancellationToken);
            }

            await source.DeleteIfExistsAsync(conditions: same, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            logger.LogWarning("Inbox file {Blob} was sent again while being moved out; the new bytes stay to be taken", blob.Name);
        }
    }

    /// <summary>
    /// Ends the move of a file already taken (its bytes recorded) that is still in the inbox: the
    /// process stopped between the copy and the delete, or the file was taken before files were
    /// moved out, when its report was written beside it in the inbox; that report follows it.
    /// </summary>
    public async Task FinishMoveAsync(BlobItem blob, CancellationToken cancellationToken)
    {
        await MoveOutAsync(blob, null, cancellationToken);
        var legacy = Inbox.GetBlobClient(blob.Name + ReportSuffix);
        try
        {
            var content = await legacy.DownloadContentAsync(cancellationToken);
            var beside = Taken.GetBlobClient(TakenName(blob) + ReportSuffix);
            await beside.UploadAsync(content.Value.Content, overwrite: false, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409)
        {
            // 404: the usual case, the report went to its kept place in the first place; 409: a newer report is there.
        }

        await legacy.DeleteIfExistsAsync(cancellationToken: cancellationToken);
        logger.LogInformation("Inbox file {Blob}, taken before, moved out to taken/{Name}", blob.Name, TakenName(blob));
    }

    private Azure.Storage.Blobs.BlobContainerClient Inbox => storage.Container(StorageNames.Containers.Inbox);

    private Azure.Storage.Blobs.BlobContainerClient Taken => storage.Container(StorageNames.Containers.Taken);
}
