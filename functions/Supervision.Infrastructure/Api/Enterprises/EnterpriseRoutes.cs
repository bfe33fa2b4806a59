using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Reviews;

namespace Supervision.Infrastructure.Api.Enterprises;

/// <summary>
/// The enterprises' routes: an enterprise objects to its measures or asks for early credit repair.
/// The gate admits callers with the enterprise role; the desk checks the case is theirs.
/// </summary>
public sealed class EnterpriseRoutes(DecisionDesk desk)
{
    /// <summary>Accepted once per case, within the window its notice named; the review re-opens.</summary>
    public async Task<ApiResponse> FileObjectionAsync(
        Caller caller, ApiRequest request, string caseId, DurableTaskClient durable, CancellationToken cancellationToken) =>
        ApiResponse.From(await desk.ObjectAsync(caller, caseId, request.Body, new DurableReviewEvents(durable), cancellationToken))
            .Locating(ApiRoutes.CasePath(caseId));

    /// <summary>The market regulator rules on it (one request awaiting a ruling at a time).</summary>
    public async Task<ApiResponse> RequestRepairAsync(
        Caller caller, ApiRequest request, string caseId, DurableTaskClient durable, CancellationToken cancellationToken) =>
        ApiResponse.From(await desk.RequestRepairAsync(caller, caseId, request.Body, new DurableReviewEvents(durable), cancellationToken))
            .Locating(ApiRoutes.CasePath(caseId));
}

/// <summary>The enterprises' route group and the desk it works through.</summary>
public static class EnterpriseServices
{
    public static IServiceCollection AddEnterpriseRoutes(this IServiceCollection services)
    {
        services.AddDecisionDesk();
        services.AddSingleton<EnterpriseRoutes>();
        return services;
    }
}
