using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// Counts pending cases in storage every half minute for the pending-reviews gauge. Counted from
/// storage rather than kept in memory, so the figure is right after a restart and across instances.
/// </summary>
public sealed class PendingReviewsGauge(CaseStore cases, ILogger<PendingReviewsGauge> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
        do
        {
            try
            {
                SupervisionTelemetry.SetPendingReviews((await cases.ListAsync(CaseStatus.Pending, stoppingToken)).Count);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Counting pending reviews failed: {Error}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
