using Azure;
using Azure.Data.Tables;
using Supervision.Domain.Audit;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Problems;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Operations;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Api.Operators;

/// <summary>A queue message's failure as the operators see it, with its replay if there was one.</summary>
public sealed record FailureView(
    string FailureId,
    string Queue,
    string MessageId,
    string? Reason,
    bool Poisoned,
    long? DequeueCount,
    DateTimeOffset? FailedAt,
    bool Replayable,
    ReplayView? Replay)
{
    /// <summary>The failure's id in routes: its queue and message id, '~' between (queue names have none).</summary>
    public static string IdOf(string queue, string rowKey) => $"{queue}~{rowKey}";

    public static FailureView Of(TableEntity row)
    {
        var replay = row.GetDateTimeOffset(PoisonReplay.ReplayedAt) is { } at
            ? new ReplayView(row.GetString(PoisonReplay.ReplayedBy) ?? string.Empty, at, row.GetString(PoisonReplay.ReplayMessageId))
            : null;
        var poisoned = row.GetBoolean("Poisoned") == true;
        return new FailureView(
            IdOf(row.PartitionKey, row.RowKey),
            row.PartitionKey,
            row.RowKey,
            row.GetString("Reason"),
            poisoned,
            row.GetInt64("DequeueCount"),
            row.GetDateTimeOffset("FailedAt"),
            poisoned && replay is null && row.GetString(MessageFailureLog.Body) is not null,
            replay);
    }
}

/// <summary>
/// Who replayed a poisoned message and when; <see cref="MessageId"/> is the id of the copy put back
/// on its queue, null while the replay is claimed but its copy not yet known to be sent.
/// </summary>
public sealed record ReplayView(string By, DateTimeOffset At, string? MessageId)
{
    public bool Enqueued => MessageId is not null;
}

/// <summary>
/// Puts a poisoned message back on its queue, once. The replay is claimed on the failure record by
/// a write conditional on the ETag read, before the message is sent: of two calls (a double click,
/// a retried request, two operators) only the one whose claim lands sends; every later call finds
/// the claim and answers with it. A send storage refuses takes the claim back (nothing was
/// enqueued); a crash between the claim and the send, or a send that got no answer, leaves a claim
/// without a message id: at most once, never twice, and the listing shows it so an operator can look.
/// </summary>
public sealed class PoisonReplay(SupervisionStorage storage, AuditLog audit, TimeProvider time)
{
    public const string ReplayedBy = "ReplayedBy";
    public const string ReplayedAt = "ReplayedAt";
    public const string ReplayMessageId = "ReplayMessageId";

    // How long a repeat waits for a claimed replay's send before answering with the claim alone.
    private static readonly TimeSpan InFlight = TimeSpan.FromSeconds(10);

    private TableClient Table => storage.Table(StorageNames.Tables.MessageFailures);

    public async Task<DeskOutcome> ReplayAsync(string failureId, Caller caller, CancellationToken cancellationToken)
    {
        var separator = failureId.IndexOf('~', StringComparison.Ordinal);
        var (queue, rowKey) = separator > 0 ? (failureId[..separator], failureId[(separator + 1)..]) : (string.Empty, string.Empty);
        if (!StorageNames.Queues.All.Contains(queue)
            || await Table.FindAsync<TableEntity>(queue, rowKey, cancellationToken) is not { } row)
        {
            return DeskOutcome.NotFound(
                ProblemKinds.NoSuchFailure, $"没有编号为 '{failureId}' 的消息失败记录 / no failure '{failureId}' is recorded.");
        }

        while (true)
        {
            if (row.GetDateTimeOffset(ReplayedAt) is { } claimed)
            {
                // A replay in flight (a double click): wait for its send, so this answer is its outcome too.
                if (row.GetString(ReplayMessageId) is null && time.GetUtcNow() - claimed < InFlight)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
                    row = (await Table.FindAsync<TableEntity>(queue, rowKey, cancellationToken))!;
                    continue;
                }

                return DeskOutcome.Repeated(FailureView.Of(row));
            }

            if (row.GetBoolean("Poisoned") != true)
            {
                return DeskOutcome.Conflict(
                    ProblemKinds.NotPoisoned,
                    "该消息仍在重试中，只有进入毒队列的消息可以重放 / the message is still being retried; only a poisoned message is replayed.");
            }

            if (row.GetString(MessageFailureLog.Body) is not { } body)
            {
                return DeskOutcome.Conflict(
                    ProblemKinds.MessageNotKept,
                    $"该失败记录未保存消息内容，请从 {StorageNames.Queues.PoisonOf(queue)} 手动处理 / the failure record holds no copy "
                    + "of the message (recorded before copies were kept, or too large); "
                    + $"take it from {StorageNames.Queues.PoisonOf(queue)}.");
            }

            var claim = new TableEntity(queue, rowKey) { [ReplayedBy] = caller.Subject, [ReplayedAt] = time.GetUtcNow() };
            Response claimResponse;
            try
            {
                claimResponse = await Table.UpdateEntityAsync(claim, row.ETag, TableUpdateMode.Merge, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Another call claimed it (or the record changed) first: read it again and answer with what it says now.
                row = (await Table.FindAsync<TableEntity>(queue, rowKey, cancellationToken))!;
                continue;
            }

            string sent;
            try
            {
                sent = (await storage.Queue(queue).SendMessageAsync(body, cancellationToken)).Value.MessageId;
            }
            catch (RequestFailedException e) when (e.Status >= 400)
            {
                // Storage answered no: nothing was enqueued, so the claim is taken back and a later call may replay.
                // (A send that got no answer keeps its claim: it may have been enqueued, and must not be twice.)
                await Table.UpdateEntityAsync(
                    Unclaimed(row), claimResponse.Headers.ETag ?? ETag.All, TableUpdateMode.Replace, CancellationToken.None);
                throw;
            }

            return DeskOutcome.Accepted(await RecordSentAsync(queue, rowKey, body, sent, caller, cancellationToken));
        }
    }

    /// <summary>The record as it was before the claim: its own columns, without the replay's.</summary>
    private static TableEntity Unclaimed(TableEntity before)
    {
        var restored = new TableEntity(before.PartitionKey, before.RowKey);
        foreach (var (name, value) in before.Where(p => !p.Key.StartsWith("odata.", StringComparison.Ordinal)
            && p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or ReplayedBy or ReplayedAt or ReplayMessageId)))
        {
            restored[name] = value;
        }

        return restored;
    }

    /// <summary>Records the copy's id on the failure, and the replay in the audit log.</summary>
    private async Task<FailureView> RecordSentAsync(
        string queue, string rowKey, string body, string sent, Caller caller, CancellationToken cancellationToken)
    {
        await Table.UpdateEntityAsync(
            new TableEntity(queue, rowKey) { [ReplayMessageId] = sent },
            ETag.All,
            TableUpdateMode.Merge,
            cancellationToken);
        var row = await Table.GetEntityAsync<TableEntity>(queue, rowKey, cancellationToken: cancellationToken);
        var view = FailureView.Of(row.Value);
        var entry = new AuditEntry(
            "failure|" + view.FailureId,
            "poison-replayed",
            caller.Subject,
            view.Replay!.At,
            $"{caller.Describe()} put message {rowKey} back on {queue} as {sent}",
            ContentHash.Sha256Hex(body));
        await audit.AppendAsync(entry, "replay", cancellationToken);
        return view;
    }
}
