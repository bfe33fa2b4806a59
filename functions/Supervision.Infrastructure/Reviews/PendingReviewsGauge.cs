using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// Reads the pending-case counters every half minute for the pending-reviews gauges: the total and
/// each department's. The counters are kept by every case save beside the index rows they count
/// (<see cref="CaseIndexWriter"/>), so this is a point read per department, not a scan, and the
/// figure is right after a restart and across instances.
/// </summary>
public sealed class PendingReviewsGauge(CaseStore cases, MemorandumCatalog memoranda, ILogger<PendingReviewsGauge> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var departments = memoranda.Memoranda.SelectMany(m => m.Departments.Select(d => d.Department))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
        do
        {
            try
            {
                var total = await cases.CountAsync(new CaseFilter(CaseStatus.Pending), stoppingToken);
                var byDepartment = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var department in departments)
                {
                    byDepartment[department] = await cases.CountAsync(new CaseFilter(CaseStatus.Pending, department), stoppingToken);
                }

                SupervisionTelemetry.SetPendingReviews(total, byDepartment);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Reading the pending-review counters failed: {Error}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
