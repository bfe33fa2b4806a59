using Microsoft.Azure.Functions.Worker;
using Supervision.Infrastructure.Ingestion;

namespace Supervision.FunctionApp.Ingestion;

/// <summary>Pulls every registered feed on the FEED_PULL_SCHEDULE timer.</summary>
public sealed class PullFeedsFunction(FeedPullHandler handler)
{
    [Function(nameof(PullFeeds))]
    public Task PullFeeds([TimerTrigger("%FEED_PULL_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken) =>
        handler.PullAllAsync(cancellationToken);
}
