using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Supervision.Infrastructure.Operations;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.LocalHost.Triggers;

/// <summary>The move to the poison queue, safe against storage failing at any step of it.</summary>
public sealed partial class QueueListener
{
    private async Task<TableEntity?> EarlierFailureAsync(QueueMessage message)
    {
        try
        {
            return await failures.FindAsync(function.Queue, message.MessageId, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(
                "{Function}: could not read the failures of {MessageId}: {Error}", function.Name, message.MessageId, e.Message);
            return null;
        }
    }

    /// <summary>
    /// Deletes a message whose copy is in the poison queue, retrying while storage fails. Gives up
    /// when the pop receipt is no longer valid: the message was delivered again, and that delivery
    /// finds the copy marked in its failure record and deletes it.
    /// </summary>
    private async Task DeleteUntilGoneAsync(QueueClient queue, QueueMessage message, CancellationToken cancellationToken)
    {
        var backoff = Backoff.ForStorage();
        while (true)
        {
            try
            {
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                return;
            }
            catch (RequestFailedException e) when (e.Status is 400 or 404)
            {
                return;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                var wait = backoff.Fail();
                if (backoff.Failures == 1)
                {
                    logger.LogWarning(
                        "{Function}: deleting poisoned message {MessageId} failed ({Error}); retrying",
                        function.Name,
                        message.MessageId,
                        e.Message);
                }

                await Task.Delay(wait, cancellationToken);
            }
        }
    }

    private async Task MoveToPoisonAsync(
        QueueClient queue, QueueClient poison, QueueMessage message, Exception error, CancellationToken cancellationToken)
    {
        // Reason first, then the copy, then the delete: a crash or a storage failure at any point
        // loses nothing; the message stays leased, reappears, and is moved on its next delivery.
        try
        {
            await failures.RecordAsync(
                function.Queue, message.MessageId, message.DequeueCount, error, poisoned: true, cancellationToken, message.Body.ToString());
            await poison.SendMessageAsync(message.Body, cancellationToken: cancellationToken);
        }
        catch (Exception e)
        {
            logger.LogWarning(
                "{Function}: could not move message {MessageId} to {Poison} ({Error}); it is moved when it reappears",
                function.Name,
                message.MessageId,
                poison.Name,
                e.Message);
            return;
        }

        // Copied: marked so, a redelivery of the original (its delete lost) is deleted, not copied twice.
        try
        {
            await failures.MarkCopiedToPoisonAsync(function.Queue, message.MessageId, cancellationToken);
        }
        catch (Exception e)
        {
            logger.LogWarning("{Function}: could not mark {MessageId} copied: {Error}", function.Name, message.MessageId, e.Message);
        }

        await DeleteUntilGoneAsync(queue, message, cancellationToken);
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
