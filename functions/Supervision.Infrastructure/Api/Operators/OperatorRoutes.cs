using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Paging;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api.Paging;
using Supervision.Infrastructure.Enterprises;
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
    ListPaging paging,
    Quarantine quarantine,
    MessageFailureLog failures,
    SourceRegistry sources,
    SourceStatisticsReader sourceStatistics,
    AuditLog audit,
    UnlinkedMentionStore unlinked)
{
    public Task<ApiResponse> ListQuarantineAsync(Caller caller, ApiRequest request, CancellationToken cancellationToken) =>
        paging.RespondAsync(
            PageScope.Of(ApiRoutes.Quarantine, caller), request, page => quarantine.PageAsync(page, cancellationToken), cancellationToken);

    public Task<ApiResponse> ListFailuresAsync(Caller caller, ApiRequest request, CancellationToken cancellationToken) =>
        paging.RespondAsync(
            PageScope.Of(ApiRoutes.Failures, caller),
            request,
            async page => (await failures.PageAsync(page, cancellationToken)).Select(FailureView.Of),
            cancellationToken);

    /// <summary>
    /// Registered sources, a page at a time, each with its status (enabled, or disabled and why:
    /// the sources file's say and any regulator's decision), its measured record (volume,
    /// timeliness, duplicates, share linked, quarantined, confirmed by reviews) and the trust that
    /// record earns. Disabled sources are listed too: they are kept with their history.
    /// </summary>
    public Task<ApiResponse> ListSourcesAsync(Caller caller, ApiRequest request, CancellationToken cancellationToken) =>
        paging.RespondAsync(
            PageScope.Of(ApiRoutes.Sources, caller),
            request,
            async page =>
            {
                var listed = await sources.PageAsync(page, cancellationToken);
                var reports = new List<object>();
                foreach (var source in listed.Items)
                {
                    var r = await sourceStatistics.RefreshAsync(source, cancellationToken);
                    reports.Add(new
                    {
                        r.Definition,
                        Enabled = source.Status.IsEnabled,
                        source.Status,
                        r.Statistics,
                        DuplicateShare = r.Statistics.DuplicateShare,
                        LinkedShare = r.Statistics.LinkedShare,
                        ConfirmedShare = r.Statistics.ConfirmedShare,
                        r.Trust,
                    });
                }

                return new ListPage<object>(reports, listed.Next);
            },
            cancellationToken);

    /// <summary>The operator's linking queue: mentions no enterprise could be confidently matched to, with why.</summary>
    public Task<ApiResponse> ListUnlinkedAsync(Caller caller, ApiRequest request, CancellationToken cancellationToken) =>
        paging.RespondAsync(
            PageScope.Of(ApiRoutes.Unlinked, caller), request, page => unlinked.PageAsync(page, cancellationToken), cancellationToken);

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
    public static IServiceCollection AddOperatorRoutes(this IServiceCollection services) => services
        .AddSingleton<OperatorRoutes>()
        .AddSingleton<OperatorActions>()
        .AddSingleton<RegistryAliases>()
        .AddSingleton<MentionLinks>()
        .AddSingleton<PoisonReplay>();
}
