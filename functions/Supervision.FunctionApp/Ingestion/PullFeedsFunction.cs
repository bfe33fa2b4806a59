using Microsoft.Azure.Functions.Worker;
using Supervision.Infrastructure.Ingestion;

namespace Supervision.FunctionApp.Ingestion;

/// <summary>
/// On the FEED_PULL_SCHEDULE tick, enqueues one pull per registered source whose own schedule is due
/// (queue sources-to-pull); PullSource does the pulling. The tick is the finest grain.
/// </summary>
public sealed class PullFeedsFunction(SourcePullScheduler scheduler)
{
    [Function(nameof(PullFeeds))]
    public Task PullFeeds([TimerTrigger("%FEED_PULL_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken) =>
        scheduler.EnqueueDueAsync(cancellationToken);
}
