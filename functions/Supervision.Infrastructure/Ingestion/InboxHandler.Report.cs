using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Supervision.Domain.Credit;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Text;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>What a file's report says besides where the file is kept: rows taken, refused and repeated, and why.</summary>
internal sealed record InboxReportContent(int Accepted, IReadOnlyList<RowError> Errors, string? FileError)
{
    public IReadOnlyList<RowRepeat> Repeats { get; init; } = [];

    /// <summary>The file taken first with the same bytes, when this one repeats it.</summary>
    public InboxEarlierFile? DuplicateOf { get; init; }

    /// <summary>How the file's text was read, when its bytes were not clean in their declared encoding.</summary>
    public object? Decoding { get; init; }
}

/// <summary>The file a repeated one repeats: its name in the inbox, where it is kept, and when it was taken.</summary>
internal sealed record InboxEarlierFile(string? File, string? KeptAs, DateTimeOffset? TakenAt);

public sealed partial class InboxHandler
{
    private const string RepeatNote = "与该行完全相同，只计一次 / identical to that row, counted once";

    /// <summary>
    /// The same bytes were taken before. The same delivery seen again (the process stopped before
    /// marking it taken) changes nothing and its report stands; any other delivery, under another
    /// name or the same name sent again, gets a report naming the file taken first, and nothing
    /// is stored twice.
    /// </summary>
    private async Task<InboxFileResult> RepeatedAsync(
        BlobItem blob, string hash, byte[] bytes, TableEntity earlier, CancellationToken cancellationToken)
    {
        var earlierName = earlier.GetString("BlobName");
        var earlierETag = earlier.GetString("BlobETag");
        var sameDelivery = earlierName == blob.Name && (earlierETag is null || earlierETag == blob.Properties.ETag?.ToString());
        var before = $"the same bytes were taken before as {earlierName}";
        if (!sameDelivery)
        {
            var keptAs = earlier.GetString("KeptAs");
            var reason = $"重复文件：相同内容已作为 {earlierName} 接收，本次未再采用 / Duplicate: {before}; nothing taken again";
            var content = new InboxReportContent(0, [], reason)
            {
                DuplicateOf = new InboxEarlierFile(earlierName, keptAs, earlier.GetDateTimeOffset("TakenAt")),
            };

            // Sent again under its own name on the same day, it is kept in the earlier file's place:
            // its report goes beside, so the earlier report stays.
            var delivery = ContentHash.Sha256Hex(blob.Properties.ETag?.ToString() ?? string.Empty)[..8];
            var variant = keptAs == KeptAs(blob) ? $"repeat-{delivery}" : null;
            await WriteReportAsync(blob, hash, content, cancellationToken, variant);
        }

        await MarkTakenAsync(blob, hash, cancellationToken);
        await mover.MoveOutAsync(blob, bytes, cancellationToken);
        return new InboxFileResult(blob.Name, "duplicate", 0, 0, before);
    }

    private async Task WriteReportAsync(
        BlobItem blob, string hash, InboxReportContent content, CancellationToken cancellationToken, string? variant = null)
    {
        var report = new
        {
            file = blob.Name,
            keptAs = KeptAs(blob),
            sha256 = hash,
            checkedAt = time.GetUtcNow(),
            fileError = content.FileError,
            duplicateOf = content.DuplicateOf,
            accepted = content.Accepted,
            rejected = content.Errors.Count,
            repeated = content.Repeats.Count,
            errors = content.Errors.Select(e => new { row = e.Row, reason = e.Reason }),
            repeats = content.Repeats.Select(r => new { row = r.Row, sameAs = r.SameAs, note = RepeatNote }),
            decoding = content.Decoding,
        };
        await mover.WriteReportAsync(blob, report, cancellationToken, variant);
    }

    private static string KeptAs(BlobItem blob) => $"{StorageNames.Containers.Taken}/{InboxMover.TakenName(blob)}";

    private static object? DecodingOf(DecodedText decoded) => decoded.Issues == DecodingIssues.None
        ? null
        : new { encoding = decoded.Encoding.WebName, decidedBy = decoded.DecidedBy, note = DecodingNotes.Of(decoded.Issues) };
}
