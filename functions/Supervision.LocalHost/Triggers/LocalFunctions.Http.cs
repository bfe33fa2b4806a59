using Microsoft.DurableTask.Client;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Api.Callers;
using Supervision.Infrastructure.Api.Enterprises;
using Supervision.Infrastructure.Api.Health;
using Supervision.Infrastructure.Api.Operators;
using Supervision.Infrastructure.Api.Reviewers;

namespace Supervision.LocalHost.Triggers;

/// <summary>One HTTP call as the local host hands it to a route group, once the gate has let it through.</summary>
public sealed record LocalCall(Caller Caller, ApiRequest Request, IServiceProvider Services, CancellationToken Cancellation)
{
    public string CaseId => Request.RouteValue("caseId") ?? string.Empty;

    public string Department => Request.RouteValue("department") ?? string.Empty;

    /// <summary>Bound, as the Functions app binds it, only to raise the review's events.</summary>
    public DurableTaskClient Durable => Services.GetRequiredService<DurableTaskClient>();
}

/// <summary>The HTTP routes, each passing the same gate and calling the same group handler as its Azure Function.</summary>
public static partial class LocalFunctions
{
    public static readonly IReadOnlyList<HttpFunction> Http =
    [
        Route<ReviewerRoutes>("ListReviews", "GET", ApiRoutes.Reviews, (r, c) =>
            r.ListReviewsAsync(c.Caller, c.Request, c.Cancellation)),
        Route<ReviewerRoutes>("GetReview", "GET", ApiRoutes.Review, (r, c) => r.GetReviewAsync(c.Caller, c.CaseId, c.Cancellation)),
        Route<ReviewerRoutes>("GetEvidenceRaw", "GET", ApiRoutes.EvidenceRaw, (r, c) =>
            r.GetEvidenceRawAsync(c.Caller, c.CaseId, c.Request.RouteValue("evidenceId") ?? string.Empty, c.Cancellation)),
        Route<ReviewerRoutes>("SubmitDecision", "POST", ApiRoutes.Decision, (r, c) =>
            r.SubmitDecisionAsync(c.Caller, c.Request, c.CaseId, c.Department, c.Durable, c.Cancellation)),
        Route<ReviewerRoutes>("ReportImplementation", "POST", ApiRoutes.Implementation, (r, c) =>
            r.ReportImplementationAsync(c.Caller, c.Request, c.CaseId, c.Department, c.Durable, c.Cancellation)),
        Route<ReviewerRoutes>("DecideRepair", "POST", ApiRoutes.RepairDecision, (r, c) =>
            r.DecideRepairAsync(c.Caller, c.Request, c.CaseId, c.Durable, c.Cancellation)),
        Route<ReviewerRoutes>("GetPortrait", "GET", ApiRoutes.Portrait, (r, c) =>
            r.GetPortraitAsync(c.Request.RouteValue("uscc") ?? string.Empty, c.Cancellation)),
        Route<EnterpriseRoutes>("FileObjection", "POST", ApiRoutes.Objection, (e, c) =>
            e.FileObjectionAsync(c.Caller, c.Request, c.CaseId, c.Durable, c.Cancellation)),
        Route<EnterpriseRoutes>("RequestRepair", "POST", ApiRoutes.Repair, (e, c) =>
            e.RequestRepairAsync(c.Caller, c.Request, c.CaseId, c.Durable, c.Cancellation)),
        Route<OperatorRoutes>("ListQuarantine", "GET", ApiRoutes.Quarantine, (o, c) =>
            o.ListQuarantineAsync(c.Caller, c.Request, c.Cancellation)),
        Route<OperatorRoutes>("ListFailures", "GET", ApiRoutes.Failures, (o, c) =>
            o.ListFailuresAsync(c.Caller, c.Request, c.Cancellation)),
        Route<OperatorRoutes>("ListSources", "GET", ApiRoutes.Sources, (o, c) =>
            o.ListSourcesAsync(c.Caller, c.Request, c.Cancellation)),
        Route<OperatorRoutes>("ListUnlinked", "GET", ApiRoutes.Unlinked, (o, c) =>
            o.ListUnlinkedAsync(c.Caller, c.Request, c.Cancellation)),
        Route<OperatorRoutes>("VerifyAudit", "GET", ApiRoutes.AuditVerification, (o, c) =>
            o.VerifyAuditAsync(c.Request.QueryValue("full") is "true", c.Cancellation)),
        Route<OperatorActions>("ReplayFailure", "POST", ApiRoutes.FailureReplay, (o, c) =>
            o.ReplayFailureAsync(c.Caller, c.Request.RouteValue("failureId") ?? string.Empty, c.Cancellation)),
        Route<OperatorActions>("LinkUnlinked", "POST", ApiRoutes.UnlinkedLink, (o, c) =>
            o.LinkUnlinkedAsync(c.Caller, c.Request, c.Request.RouteValue("mentionId") ?? string.Empty, c.Cancellation)),
        Route<OperatorActions>("AddRegistryAlias", "POST", ApiRoutes.RegistryAliases, (o, c) =>
            o.AddAliasAsync(c.Caller, c.Request, c.Request.RouteValue("uscc") ?? string.Empty, c.Cancellation)),
        Route<OperatorActions>("GetSourceHistory", "GET", ApiRoutes.SourceHistory, (o, c) =>
            o.SourceHistoryAsync(c.Request, c.Request.RouteValue("sourceId") ?? string.Empty, c.Cancellation)),
        Route<DirectoryRoutes>("GetDirectoryEntry", "GET", ApiRoutes.DirectoryEntry, (d, c) =>
            d.GetEntryAsync(c.Request.RouteValue("subject") ?? string.Empty, c.Cancellation)),
        Route<DirectoryRoutes>("PutDirectoryEntry", "PUT", ApiRoutes.DirectoryEntry, (d, c) =>
            d.PutEntryAsync(c.Caller, c.Request, c.Request.RouteValue("subject") ?? string.Empty, c.Cancellation)),
        Route<HealthRoutes>("OpenApi", "GET", ApiRoutes.OpenApi, (_, _) => Task.FromResult(HealthRoutes.OpenApiDocument())),
        Route<HealthRoutes>("Health", "GET", ApiRoutes.Health, (h, c) => h.HealthAsync(c.Services, c.Caller, c.Cancellation)),
    ];

    /// <summary>A route of group <typeparamref name="TGroup"/>: its request, with the route's values, passes the gate first.</summary>
    private static HttpFunction Route<TGroup>(
        string name, string method, string route, Func<TGroup, LocalCall, Task<ApiResponse>> handler)
        where TGroup : notnull =>
        new(name, method, route, (services, request, values, cancellationToken) =>
        {
            var routed = request.WithRoute(values.Select(v => (v.Key, v.Value?.ToString() ?? string.Empty)));
            var group = services.GetRequiredService<TGroup>();
            return services.GetRequiredService<ApiGate>().PassAsync(
                name, routed, caller => handler(group, new LocalCall(caller, routed, services, cancellationToken)));
        });
}
