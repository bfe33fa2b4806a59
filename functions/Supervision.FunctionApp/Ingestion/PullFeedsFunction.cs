using Microsoft.Azure.Functions.Worker;
using Supervision.Infrastructure.Ingestion;

namespace Supervision.FunctionApp.Ingestion;

/// <summary>
/// On the FEED_PULL_SCHEDULE tick, pulls every registered source whose own schedule is due.
/// The tick is the finest grain; each source's schedule in the registry decides how often it is read.
/// </summary>
public sealed class PullFeedsFunction(SourcePullHandler handler)
{
    [Function(nameof(PullFeeds))]
    public Task PullFeeds([TimerTrigger("%FEED_PULL_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken) =>
        handler.PullDueAsync(cancellationToken);
}
