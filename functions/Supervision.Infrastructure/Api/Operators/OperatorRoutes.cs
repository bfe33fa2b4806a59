using Microsoft.Extensions.DependencyInjection;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Operations;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Scoring;

namespace Supervision.Infrastructure.Api.Operators;

/// <summary>
/// The operators' routes: what was quarantined or failed, how each source performs, what could not be
/// linked, and whether the audit holds.
/// </summary>
public sealed class OperatorRoutes(
    Quarantine quarantine,
    MessageFailureLog failures,
    SourceRegistry sources,
    SourceStatisticsReader sourceStatistics,
    AuditLog audit,
    UnlinkedMentionStore unlinked)
{
    private const int ListLimit = 200;

    public async Task<ApiResponse> ListQuarantineAsync(CancellationToken cancellationToken) =>
        ApiResponse.Ok(await quarantine.ListAsync(ListLimit, cancellationToken));

    public async Task<ApiResponse> ListFailuresAsync(CancellationToken cancellationToken)
    {
        var rows = await failures.ListAsync(ListLimit, cancellationToken);
        return ApiResponse.Ok(rows.Select(r => new
        {
            Queue = r.PartitionKey,
            MessageId = r.RowKey,
            Reason = r.GetString("Reason"),
            Poisoned = r.GetBoolean("Poisoned"),
            FailedAt = r.GetDateTimeOffset("FailedAt"),
        }));
    }

    /// <summary>
    /// Every registered source with its measured record (volume, timeliness, duplicates, share
    /// linked, quarantined, confirmed by reviews) and the trust that record earns, measured now.
    /// </summary>
    public async Task<ApiResponse> ListSourcesAsync(CancellationToken cancellationToken)
    {
        var reports = new List<SourceReport>();
        foreach (var source in await sources.ListAsync(cancellationToken))
        {
            reports.Add(await sourceStatistics.RefreshAsync(source, cancellationToken));
        }

        return ApiResponse.Ok(reports.Select(r => new
        {
            r.Definition,
            r.Statistics,
            DuplicateShare = r.Statistics.DuplicateShare,
            LinkedShare = r.Statistics.LinkedShare,
            ConfirmedShare = r.Statistics.ConfirmedShare,
            r.Trust,
        }));
    }

    /// <summary>The operator's linking queue: mentions no enterprise could be confidently matched to, with why.</summary>
    public async Task<ApiResponse> ListUnlinkedAsync(CancellationToken cancellationToken) =>
        ApiResponse.Ok(await unlinked.ListAsync(ListLimit, cancellationToken));

    /// <summary>
    /// Verifies what was appended to each audit hash chain since its checkpoint (everything again
    /// with <paramref name="full"/>) and reports the first broken link of each; 200 when all hold,
    /// 409 otherwise. <c>complete: false</c> means the call reached its bound: call again to go on.
    /// </summary>
    public async Task<ApiResponse> VerifyAuditAsync(bool full, CancellationToken cancellationToken)
    {
        var verification = await audit.VerifyAsync(full, AuditLog.EntriesPerCall, cancellationToken);
        return new ApiResponse(verification.Intact ? 200 : 409, verification);
    }
}

/// <summary>The operators' route group.</summary>
public static class OperatorServices
{
    public static IServiceCollection AddOperatorRoutes(this IServiceCollection services) => services.AddSingleton<OperatorRoutes>();
}
