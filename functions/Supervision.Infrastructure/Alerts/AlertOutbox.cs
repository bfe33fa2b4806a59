using System.Text.Json;
using Supervision.Domain.Alerts;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Alerts;

/// <summary>Puts alerts on the alerts queue; delivery happens in <see cref="AlertDeliveryHandler"/>.</summary>
public sealed class AlertOutbox(SupervisionStorage storage)
{
    public Task EnqueueAsync(Alert alert, CancellationToken cancellationToken) =>
        storage.Queue(StorageNames.Queues.Alerts).SendMessageAsync(JsonSerializer.Serialize(alert, MessageJson.Options), cancellationToken);
}
