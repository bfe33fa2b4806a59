using Microsoft.Azure.Functions.Worker;
using Supervision.Infrastructure.Scoring;
using Supervision.Infrastructure.Storage;

namespace Supervision.FunctionApp.Scoring;

/// <summary>Scores each queued item and asks the portraits stage to reassess its enterprise.</summary>
public sealed class ScoreItemFunction(ItemScoringHandler handler)
{
    [Function(nameof(ScoreItem))]
    public Task ScoreItem(
        [QueueTrigger(StorageNames.Queues.ItemsToScore)] string message,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(message, cancellationToken);
}
