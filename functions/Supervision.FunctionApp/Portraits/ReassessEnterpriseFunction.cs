using Microsoft.Azure.Functions.Worker;
using Supervision.Infrastructure.Portraits;
using Supervision.Infrastructure.Storage;

namespace Supervision.FunctionApp.Portraits;

/// <summary>Recomputes an enterprise's portrait and publishes "enterprise flagged" when a memorandum's trigger is met.</summary>
public sealed class ReassessEnterpriseFunction(PortraitReassessmentHandler handler)
{
    [Function(nameof(ReassessEnterprise))]
    public Task ReassessEnterprise(
        [QueueTrigger(StorageNames.Queues.EnterprisesToReassess)] string message,
        CancellationToken cancellationToken) =>
        handler.HandleAsync(message, cancellationToken);
}
