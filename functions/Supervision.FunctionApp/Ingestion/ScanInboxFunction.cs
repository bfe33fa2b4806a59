using Microsoft.Azure.Functions.Worker;
using Supervision.Infrastructure.Ingestion;

namespace Supervision.FunctionApp.Ingestion;

/// <summary>
/// Takes the batch files pushing sources delivered to the inbox container, on the
/// INBOX_SCAN_SCHEDULE timer. A timer scan rather than a blob trigger: it needs no Event Grid
/// subscription on Flex Consumption, runs identically on the local host, and the ledger of taken
/// files makes a repeated scan harmless.
/// </summary>
public sealed class ScanInboxFunction(InboxHandler handler)
{
    [Function(nameof(ScanInbox))]
    public Task ScanInbox([TimerTrigger("%INBOX_SCAN_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken) =>
        handler.ScanAsync(cancellationToken);
}
