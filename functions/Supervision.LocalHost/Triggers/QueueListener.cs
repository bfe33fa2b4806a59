using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Supervision.Infrastructure.Hosting;
using Supervision.Infrastructure.Operations;
using Supervision.Infrastructure.Storage;

namespace Supervision.LocalHost.Triggers;

/// <summary>
/// Runs a queue-triggered function with the Functions host's semantics: messages are leased while
/// they run, deleted on success, made visible again after host.json's visibilityTimeout on
/// failure, and after maxDequeueCount failures moved intact to "{queue}-poison" with the reason
/// recorded in the message-failures table.
/// </summary>
/// <remarks>
/// Storage may go away at any moment (Azurite killed, a network cut). Nothing here lets an
/// exception out of <see cref="ExecuteAsync"/>: the host is configured to stop when a background
/// service throws. A message leaves the queue only once its effect, or its move to the poison
/// queue with the reason, is written; anything that could not be written is left leased, so the
/// message becomes visible again and the work is retried.
/// </remarks>
public sealed partial class QueueListener(
    QueueFunction function,
    QueueSettings settings,
    SupervisionStorage storage,
    MessageFailureLog failures,
    IServiceProvider services,
    ILogger<QueueListener> logger) : BackgroundService
{
    // Long enough for any handler here; a message whose handler dies is retried after it.
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan FastestPoll = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var queue = storage.Queue(function.Queue);
        var poison = storage.Queue(StorageNames.Queues.PoisonOf(function.Queue));
        var backoff = Backoff.ForStorage();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                break;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                await WaitAfterStorageErrorAsync(backoff, "creating its queues", e, stoppingToken);
            }
        }

        var running = new List<Task>();
        try
        {
            await ListenAsync(queue, poison, backoff, running, stoppingToken);
        }
        finally
        {
            // Whatever runs finishes (each leaves its message to reappear if it cannot finish).
            await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        }
    }

    private async Task ListenAsync(
        QueueClient queue, QueueClient poison, Backoff backoff, List<Task> running, CancellationToken stoppingToken)
    {
        var delay = FastestPoll;
        var batchSize = Math.Clamp(settings.BatchSize, 1, 32);
        while (!stoppingToken.IsCancellationRequested)
        {
            // As the Functions host does (newBatchThreshold = batchSize / 2): fetch more once no more
            // than half a batch still runs, so one slow message holds only its own slot, not the listener.
            foreach (var failed in running.Where(t => t.IsFaulted))
            {
                // Its message was not deleted, so it reappears after its lease and is retried.
                logger.LogError(failed.Exception, "{Function}: a message failed outside the retry path", function.Name);
            }

            running.RemoveAll(t => t.IsCompleted);
            if (running.Count > batchSize / 2)
            {
                await Task.WhenAny(running);
                continue;
            }

            QueueMessage[] messages;
            try
            {
                messages = (await queue.ReceiveMessagesAsync(batchSize, Lease, stoppingToken)).Value;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                await WaitAfterStorageErrorAsync(backoff, "polling", e, stoppingToken);
                continue;
            }

            if (backoff.Succeed() is > 0 and var failures)
            {
                logger.LogWarning(
                    "{Queue} reachable again after {Failures} failed polls; listening resumes", function.Queue, failures);
            }

            if (messages.Length == 0)
            {
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
                continue;
            }

            delay = FastestPoll;
            running.AddRange(messages.Select(m => ProcessAsync(queue, poison, m, stoppingToken)));
        }
    }

    private async Task WaitAfterStorageErrorAsync(Backoff backoff, string doing, Exception error, CancellationToken stoppingToken)
    {
        var wait = backoff.Fail();
        if (backoff.Failures == 1 || wait == backoff.Longest && backoff.Failures % 10 == 0)
        {
            logger.LogWarning(
                "{Queue}: {Doing} failed ({Error}); retrying, waiting up to {Longest} between tries",
                function.Queue,
                doing,
                error.Message,
                backoff.Longest);
        }

        await Task.Delay(wait, stoppingToken);
    }

    /// <summary>Runs one message to its end: deleted, retried later, or poisoned with its reason. Never throws.</summary>
    internal async Task ProcessAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        if (message.DequeueCount > settings.MaxDequeueCount)
        {
            // Seen more often than allowed without finishing: the process died while running it, or
            // storage failed while its failure was being written. The last reason written is kept.
            var earlier = await EarlierFailureAsync(message);
            if (earlier?.GetBoolean(MessageFailureLog.CopiedToPoison) == true)
            {
                // Its copy is in the poison queue already; only the delete was lost.
                await DeleteUntilGoneAsync(queue, message, CancellationToken.None);
                return;
            }

            var reason = earlier?.GetString("Reason");
            var abandoned = new InvalidOperationException(
                $"dequeued {message.DequeueCount} times without completing; the host may have stopped while processing it"
                + (reason is null ? string.Empty : $"; last recorded failure: {reason}"));
            await MoveToPoisonAsync(queue, poison, message, abandoned, stoppingToken);
            return;
        }

        Exception error;
        try
        {
            await function.Run(services, message.Body.ToString(), stoppingToken);
            await DeleteAsync(queue, message);
            return;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            error = e;
        }
        catch (OperationCanceledException)
        {
            // Stopping: the message reappears after its lease and runs again on the next start.
            return;
        }

        if (message.DequeueCount >= settings.MaxDequeueCount)
        {
            await MoveToPoisonAsync(queue, poison, message, error, CancellationToken.None);
            return;
        }

        logger.LogWarning(
            "{Function} failed on message {MessageId} (attempt {Attempt} of {Max}): {Error}",
            function.Name,
            message.MessageId,
            message.DequeueCount,
            settings.MaxDequeueCount,
            error.Message);
        try
        {
            await failures.RecordAsync(
                function.Queue, message.MessageId, message.DequeueCount, error, poisoned: false, CancellationToken.None);
            await queue.UpdateMessageAsync(
                message.MessageId,
                message.PopReceipt,
                visibilityTimeout: settings.VisibilityTimeout,
                cancellationToken: CancellationToken.None);
        }
        catch (Exception e)
        {
            // Storage is failing too: the message stays leased and is retried when its lease ends.
            logger.LogWarning(
                "{Function}: could not record the failure of message {MessageId} ({Error}); it is retried after its lease of {Lease}",
                function.Name,
                message.MessageId,
                e.Message,
                Lease);
        }
    }

    private async Task DeleteAsync(QueueClient queue, QueueMessage message)
    {
        try
        {
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
        }
        catch (Exception e)
        {
            // Its effect is written; run again after the lease, it writes the same rows (handlers are idempotent).
            logger.LogWarning(
                "{Function}: message {MessageId} done but not deleted ({Error}); it runs once more after its lease",
                function.Name,
                message.MessageId,
                e.Message);
        }
    }
}
