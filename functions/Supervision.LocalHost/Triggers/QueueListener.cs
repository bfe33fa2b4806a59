using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Supervision.Infrastructure.Hosting;
using Supervision.Infrastructure.Operations;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.LocalHost.Triggers;

/// <summary>
/// Runs a queue-triggered function with the Functions host's semantics: messages are leased while
/// they run, deleted on success, made visible again after host.json's visibilityTimeout on
/// failure, and after maxDequeueCount failures moved intact to "{queue}-poison" with the reason
/// recorded in the message-failures table.
/// </summary>
public sealed class QueueListener(
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
        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
        await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
        var delay = FastestPoll;
        var batchSize = Math.Clamp(settings.BatchSize, 1, 32);
        var running = new List<Task>();

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
                logger.LogWarning(
                    "Polling {Queue} failed ({Error}); retrying in {Delay}", function.Queue, e.Message, settings.MaxPollingInterval);
                await Task.Delay(settings.MaxPollingInterval, stoppingToken);
                continue;
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

        await Task.WhenAll(running);
    }

    internal async Task ProcessAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        if (message.DequeueCount > settings.MaxDequeueCount)
        {
            // Seen more often than allowed without finishing: the process died while running it.
            var abandoned = new InvalidOperationException(
                $"dequeued {message.DequeueCount} times without completing; the host may have stopped while processing it");
            await MoveToPoisonAsync(queue, poison, message, abandoned, stoppingToken);
            return;
        }

        try
        {
            await function.Run(services, message.Body.ToString(), stoppingToken);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
        }
        catch (Exception error) when (!stoppingToken.IsCancellationRequested)
        {
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
            await failures.RecordAsync(
                function.Queue, message.MessageId, message.DequeueCount, error, poisoned: false, CancellationToken.None);
            await queue.UpdateMessageAsync(
                message.MessageId,
                message.PopReceipt,
                visibilityTimeout: settings.VisibilityTimeout,
                cancellationToken: CancellationToken.None);
        }
    }

    private async Task MoveToPoisonAsync(
        QueueClient queue, QueueClient poison, QueueMessage message, Exception error, CancellationToken cancellationToken)
    {
        // Reason first, then the copy, then the delete: a crash at any point loses nothing.
        await failures.RecordAsync(function.Queue, message.MessageId, message.DequeueCount, error, poisoned: true, cancellationToken);
        await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        SupervisionTelemetry.MessagesPoisoned.Add(1, new KeyValuePair<string, object?>("queue", function.Queue));
        logger.LogError(
            "{Function}: message {MessageId} moved to {Poison} after {Attempts} attempts: {Reason}",
            function.Name,
            message.MessageId,
            poison.Name,
            message.DequeueCount,
            error.Message);
    }
}
