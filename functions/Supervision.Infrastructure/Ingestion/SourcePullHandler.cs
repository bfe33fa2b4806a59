using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>How one pull of one source ended.</summary>
public enum PullOutcome
{
    NewItems,
    NotModified,
    NotDue,
    Quarantined,
    Failed,

    /// <summary>Another pull of the same source holds its lease; this one did nothing.</summary>
    AlreadyRunning,
}

public sealed record SourcePullResult(string SourceId, PullOutcome Outcome, int ItemsRead, int ItemsQueued, string? Detail)
{
    public int Duplicates { get; init; }

    public int RecordErrors { get; init; }
}

/// <summary>
/// One pull of one source: fetch its bytes, keep them, read them with the source's connector, and
/// hand the items to intake. A failure is recorded on the source's cursor, never thrown; unreadable
/// bytes are quarantined with the reason. <see cref="PullSourceHandler"/> calls it per queued pull.
/// </summary>
public sealed class SourcePullHandler(
    HttpFetcher fetcher,
    RawArchive archive,
    Quarantine quarantine,
    ItemIntake intake,
    SourceDocumentReader reader,
    SourceCursorStore cursors,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    ILogger<SourcePullHandler> logger)
{
    /// <summary>Pulls one source now, whatever its schedule says.</summary>
    public async Task<SourcePullResult> PullAsync(RegisteredSource source, CancellationToken cancellationToken)
    {
        var id = source.Definition.Id;
        using var span = SupervisionTelemetry.Source.StartActivity("PullFeed");
        span?.SetTag("supervision.source", id);
        var cursor = await LoadCursorAsync(id, cancellationToken);
        cursor.LastAttemptAt = time.GetUtcNow();
        try
        {
            var result = source.Definition.Format == SourceFormat.JsonPaged
                ? await PullPagesAsync(source, cursor, cancellationToken)
                : await PullDocumentAsync(source, cursor, cancellationToken);
            if (result.Outcome is PullOutcome.NewItems or PullOutcome.NotModified)
            {
                cursor.LastSuccessAt = time.GetUtcNow();
                cursor.LastError = null;
            }
            else
            {
                cursor.LastError = result.Detail;
                cursor.LastErrorAt = time.GetUtcNow();
            }

            await SaveCursorAsync(cursor, cancellationToken);
            // A pull that found nothing new is the common case every few seconds: kept out of the console's information lines.
            logger.Log(
                result.ItemsQueued > 0 || result.Outcome != PullOutcome.NotModified ? LogLevel.Information : LogLevel.Debug,
                "Pulled {SourceId}: {Outcome}, {Read} read, {Queued} queued", id, result.Outcome, result.ItemsRead, result.ItemsQueued);
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Pulling source {SourceId} failed; the next pull tries again", id);
            cursor.LastError = e.Message;
            cursor.LastErrorAt = time.GetUtcNow();
            await SaveCursorAsync(cursor, cancellationToken);
            return new SourcePullResult(id, PullOutcome.Failed, 0, 0, e.Message);
        }
    }

    private async Task<SourcePullResult> PullDocumentAsync(
        RegisteredSource source, SourceCursorEntity cursor, CancellationToken cancellationToken)
    {
        var definition = source.Definition;
        var url = definition.Url!;
        Fetched fetched;
        try
        {
            fetched = await fetcher.FetchAsync(definition, url, cursor.FeedETag, cursor.LastModified, cancellationToken);
        }
        catch (OversizedBodyException e)
        {
            var kept = $"{e.Message} (first {e.Head.Length} bytes kept)";
            var oversized = new InputRejectedException(RejectionKind.Oversized, kept);
            return await QuarantineAsync(definition.Id, e.Head, oversized, cancellationToken);
        }
        catch (InputRejectedException e)
        {
            return await QuarantineAsync(definition.Id, [], e, cancellationToken);
        }

        if (fetched.NotModified)
        {
            return new SourcePullResult(definition.Id, PullOutcome.NotModified, 0, 0, null);
        }

        var contentType = fetched.ContentType ?? "application/octet-stream";
        var rawHash = await archive.KeepAsync(fetched.Bytes, contentType, url.ToString(), cancellationToken);
        IReadOnlyList<ParsedItem> items;
        IReadOnlyList<string> recordErrors;
        try
        {
            (items, recordErrors) = reader.Read(definition, fetched.Bytes, fetched.ContentType);
        }
        catch (InputRejectedException e)
        {
            return await QuarantineAsync(definition.Id, fetched.Bytes, e, cancellationToken);
        }

        var intakeResult = await intake.AcceptAsync(source, items, rawHash, cancellationToken);
        cursor.FeedETag = fetched.ETag;
        cursor.LastModified = fetched.LastModified;
        return Result(definition.Id, intakeResult, recordErrors);
    }

    /// <summary>
    /// Paged JSON: follow the cursor page by page, saving it after each page so a crash resumes
    /// there. The last page's own cursor is kept, so the next pull re-reads it (new items are
    /// appended to it) and the ledger skips what was already taken: nothing skipped, nothing twice.
    /// </summary>
    private async Task<SourcePullResult> PullPagesAsync(
        RegisteredSource source, SourceCursorEntity cursor, CancellationToken cancellationToken)
    {
        var definition = source.Definition;
        var map = definition.Fields ?? new JsonFieldMap();
        var total = new IntakeResult(0, 0, 0, 0, 0);
        var errors = new List<string>();
        for (var page = 0; page < options.Value.MaxPagesPerPull; page++)
        {
            var url = PageUrl(definition.Url!, map.CursorParameter, cursor.PageCursor);
            Fetched fetched;
            try
            {
                fetched = await fetcher.FetchAsync(definition, url, null, null, cancellationToken);
            }
            catch (OversizedBodyException e)
            {
                var oversized = new InputRejectedException(RejectionKind.Oversized, e.Message);
                return await QuarantineAsync(definition.Id, e.Head, oversized, cancellationToken);
            }

            var rawHash = await archive.KeepAsync(
                fetched.Bytes, fetched.ContentType ?? "application/json", url.ToString(), cancellationToken);
            JsonReadResult read;
            try
            {
                read = SourceDocumentReader.ReadPage(definition, fetched.Bytes, fetched.ContentType);
            }
            catch (InputRejectedException e)
            {
                return await QuarantineAsync(definition.Id, fetched.Bytes, e, cancellationToken);
            }

            var accepted = await intake.AcceptAsync(source, read.Items, rawHash, cancellationToken);
            total = new IntakeResult(
                total.Read + accepted.Read,
                total.AlreadySeen + accepted.AlreadySeen,
                total.Queued + accepted.Queued,
                total.ExactDuplicates + accepted.ExactDuplicates,
                total.NearDuplicates + accepted.NearDuplicates);
            errors.AddRange(read.Errors);
            if (read.NextCursor is null || read.NextCursor == cursor.PageCursor)
            {
                break;
            }

            cursor.PageCursor = read.NextCursor;
            await SaveCursorAsync(cursor, cancellationToken);
        }

        return Result(definition.Id, total, errors);
    }

    private static SourcePullResult Result(string sourceId, IntakeResult intake, IReadOnlyList<string> recordErrors) =>
        new(
            sourceId,
            PullOutcome.NewItems,
            intake.Read,
            intake.Queued,
            recordErrors.Count == 0 ? null : $"{recordErrors.Count} record(s) unreadable, first: {recordErrors[0]}")
        {
            Duplicates = intake.ExactDuplicates + intake.NearDuplicates,
            RecordErrors = recordErrors.Count,
        };

    private async Task<SourcePullResult> QuarantineAsync(
        string sourceId, byte[] bytes, InputRejectedException e, CancellationToken cancellationToken)
    {
        await quarantine.KeepAsync(sourceId, bytes, e, cancellationToken);
        SupervisionTelemetry.FeedsQuarantined.Add(1, new KeyValuePair<string, object?>("source", sourceId));
        logger.LogWarning("Input from {SourceId} quarantined ({Kind}): {Reason}", sourceId, e.Kind, e.Reason);
        return new SourcePullResult(sourceId, PullOutcome.Quarantined, 0, 0, $"{e.Kind}: {e.Reason}");
    }

    private static Uri PageUrl(Uri url, string parameter, string? cursor)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return url;
        }

        var separator = string.IsNullOrEmpty(url.Query) ? "?" : "&";
        return new Uri($"{url}{separator}{Uri.EscapeDataString(parameter)}={Uri.EscapeDataString(cursor)}");
    }

    private Task<SourceCursorEntity> LoadCursorAsync(string sourceId, CancellationToken cancellationToken) =>
        cursors.LoadAsync(sourceId, cancellationToken);

    private Task SaveCursorAsync(SourceCursorEntity cursor, CancellationToken cancellationToken) =>
        cursors.SaveAsync(cursor, cancellationToken);
}
