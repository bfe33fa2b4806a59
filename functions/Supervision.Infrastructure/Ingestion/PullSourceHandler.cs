using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// PullSource's work: pull the one source a message names, under the source's lease and the pull's
/// own timeout. A duplicate message, or one arriving while the previous pull still runs, finds the
/// lease held and completes without pulling. A pull that ran (or a message for a source no longer
/// pulled) settles the message's claim on the source's marker, so the timer enqueues the source again.
/// </summary>
public sealed class PullSourceHandler(
    SourceRegistry registry,
    SourcePullHandler puller,
    SourceCursorStore cursors,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    ILogger<PullSourceHandler> logger)
{
    // The lease outlives the pull's timeout, so it never lapses while its holder is still saving.
    private static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(30);

    public async Task<SourcePullResult> HandleAsync(string message, CancellationToken cancellationToken)
    {
        var pull = StageMessages.Read<PullSourceMessage>(message);
        if (string.IsNullOrWhiteSpace(pull.SourceId))
        {
            throw new InvalidDataException("the pull message names no source");
        }

        var source = await registry.FindAsync(pull.SourceId, cancellationToken);
        if (source is null || source.Definition.IsPushed || !source.Definition.Enabled)
        {
            logger.LogInformation("Source {SourceId} is no longer pulled; its pull message is dropped", pull.SourceId);
            await SettleAsync(pull, cancellationToken);
            return new SourcePullResult(pull.SourceId, PullOutcome.NotDue, 0, 0, "not registered as an enabled pulled source");
        }

        var timeout = options.Value.PullTimeout;
        var lease = await cursors.TryAcquireLeaseAsync(pull.SourceId, timeout + LeaseMargin, time.GetUtcNow(), cancellationToken);
        if (lease is null)
        {
            logger.LogInformation(
                "Source {SourceId} is already being pulled; occurrence {Occurrence} is left to that pull", pull.SourceId, pull.Occurrence);
            // Not settled: the lease holder's pull settles the claim when it finishes.
            return new SourcePullResult(pull.SourceId, PullOutcome.AlreadyRunning, 0, 0, "another pull holds the source's lease");
        }

        SourcePullResult result;
        try
        {
            using var deadline = new CancellationTokenSource(timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                result = await puller.PullAsync(source, linked.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                result = await RecordTimeoutAsync(pull.SourceId, timeout, cancellationToken);
            }
        }
        finally
        {
            await cursors.ReleaseLeaseAsync(lease, CancellationToken.None);
        }

        // After the lease is released: settled first, the next tick's message could meet the lease
        // still held, be dropped as a duplicate, and leave its own claim unsettled until it expires.
        await SettleAsync(pull, cancellationToken);
        return result;
    }

    private async Task SettleAsync(PullSourceMessage pull, CancellationToken cancellationToken)
    {
        if (pull.Claim is { } claim)
        {
            await cursors.SettleMarkerAsync(pull.SourceId, claim, cancellationToken);
        }
    }

    private async Task<SourcePullResult> RecordTimeoutAsync(string sourceId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var detail = $"the pull did not finish within {timeout}";
        logger.LogWarning("Pulling source {SourceId} timed out after {Timeout}; the next occurrence tries again", sourceId, timeout);
        var cursor = await cursors.LoadAsync(sourceId, cancellationToken);
        cursor.LastAttemptAt = cursor.LastErrorAt = time.GetUtcNow();
        cursor.LastError = detail;
        await cursors.SaveAsync(cursor, cancellationToken);
        return new SourcePullResult(sourceId, PullOutcome.Failed, 0, 0, detail);
    }
}
