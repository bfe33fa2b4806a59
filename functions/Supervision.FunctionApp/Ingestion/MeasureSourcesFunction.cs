using Microsoft.Azure.Functions.Worker;
using Supervision.Infrastructure.Ingestion;

namespace Supervision.FunctionApp.Ingestion;

/// <summary>
/// On the SOURCE_MEASURE_SCHEDULE timer (every 10 minutes), measures each source from its counters
/// and records the trust it earns. Kept off the PullFeeds tick so that tick stays within its period.
/// </summary>
public sealed class MeasureSourcesFunction(SourceStatisticsReader statistics)
{
    [Function(nameof(MeasureSources))]
    public Task MeasureSources([TimerTrigger("%SOURCE_MEASURE_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken) =>
        statistics.RefreshStaleAsync(SourceStatisticsReader.RemeasureAfter, cancellationToken);
}
