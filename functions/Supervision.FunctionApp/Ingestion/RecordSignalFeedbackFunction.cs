using Microsoft.Azure.Functions.Worker;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Storage;

namespace Supervision.FunctionApp.Ingestion;

/// <summary>Marks the item ledger with a closed review's verdict on its evidence.</summary>
public sealed class RecordSignalFeedbackFunction(SignalFeedbackHandler handler)
{
    [Function(nameof(RecordSignalFeedback))]
    public Task RecordSignalFeedback(
        [QueueTrigger(StorageNames.Queues.SignalFeedback)] string message,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(message, cancellationToken);
}
