using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Supervision.Infrastructure.Scoring;
using Supervision.Infrastructure.Storage;

namespace Supervision.FunctionApp.Scoring;

/// <summary>Scores each queued item, updates the portrait and opens triggered reviews.</summary>
public sealed class ScoreItemFunction(ItemScoringHandler handler)
{
    [Function(nameof(ScoreItem))]
    public Task ScoreItem(
        [QueueTrigger(StorageNames.Queues.ItemsToScore)] string message,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(message, durable, cancellationToken);
}
