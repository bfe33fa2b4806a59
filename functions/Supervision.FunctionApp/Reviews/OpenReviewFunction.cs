using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Storage;

namespace Supervision.FunctionApp.Reviews;

/// <summary>Opens a joint review for each "enterprise flagged" message; the only place a review starts.</summary>
public sealed class OpenReviewFunction(FlaggedEnterpriseHandler handler)
{
    [Function(nameof(OpenReview))]
    public Task OpenReview(
        [QueueTrigger(StorageNames.Queues.EnterprisesFlagged)] string message,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(message, durable, cancellationToken);
}
