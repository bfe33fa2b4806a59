using Microsoft.Azure.Functions.Worker;
using Supervision.Infrastructure.Alerts;
using Supervision.Infrastructure.Storage;

namespace Supervision.FunctionApp.Alerts;

/// <summary>Delivers each queued alert to regulators.</summary>
public sealed class SendAlertFunction(AlertDeliveryHandler handler)
{
    [Function(nameof(SendAlert))]
    public Task SendAlert([QueueTrigger(StorageNames.Queues.Alerts)] string message, CancellationToken cancellationToken) =>
        handler.HandleAsync(message, cancellationToken);
}
