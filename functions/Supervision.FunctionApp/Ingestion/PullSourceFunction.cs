using Microsoft.Azure.Functions.Worker;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Storage;

namespace Supervision.FunctionApp.Ingestion;

/// <summary>Pulls the one source a message names, under its lease and its own timeout; pulls run side by side.</summary>
public sealed class PullSourceFunction(PullSourceHandler handler)
{
    [Function(nameof(PullSource))]
    public Task PullSource([QueueTrigger(StorageNames.Queues.SourcesToPull)] string message, CancellationToken cancellationToken) =>
        handler.HandleAsync(message, cancellationToken);
}
