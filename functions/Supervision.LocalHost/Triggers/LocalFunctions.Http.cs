using Microsoft.DurableTask.Client;
using Supervision.Infrastructure.Api;

namespace Supervision.LocalHost.Triggers;

/// <summary>The HTTP routes, each calling the same API method as its Azure Function.</summary>
public static partial class LocalFunctions
{
    public static readonly IReadOnlyList<HttpFunction> Http =
    [
        new("ListReviews", "GET", ApiRoutes.Reviews, (s, request, _, ct) => Api(s).ListReviewsAsync(request, ct)),
        new("GetReview", "GET", ApiRoutes.Review, (s, request, route, ct) => Api(s).GetReviewAsync(request, Value(route, "caseId"), ct)),
        new("SubmitDecision", "POST", ApiRoutes.Decision, (s, request, route, ct) =>
            Api(s).SubmitDecisionAsync(request, Value(route, "caseId"), Value(route, "department"), s.GetRequiredService<DurableTaskClient>(), ct)),
        new("ReportImplementation", "POST", ApiRoutes.Implementation, (s, request, route, ct) =>
            Api(s).ReportImplementationAsync(request, Value(route, "caseId"), Value(route, "department"), s.GetRequiredService<DurableTaskClient>(), ct)),
        new("FileObjection", "POST", ApiRoutes.Objection, (s, request, route, ct) => Api(s).ObjectAsync(request, Value(route, "caseId"), s.GetRequiredService<DurableTaskClient>(), ct)),
        new("RequestRepair", "POST", ApiRoutes.Repair, (s, request, route, ct) => Api(s).RequestRepairAsync(request, Value(route, "caseId"), s.GetRequiredService<DurableTaskClient>(), ct)),
        new("DecideRepair", "POST", ApiRoutes.RepairDecision, (s, request, route, ct) => Api(s).DecideRepairAsync(request, Value(route, "caseId"), s.GetRequiredService<DurableTaskClient>(), ct)),
        new("GetPortrait", "GET", ApiRoutes.Portrait, (s, request, route, ct) => Api(s).GetPortraitAsync(request, Value(route, "uscc"), ct)),
        new("ListQuarantine", "GET", ApiRoutes.Quarantine, (s, request, _, ct) => Api(s).ListQuarantineAsync(request, ct)),
        new("ListFailures", "GET", ApiRoutes.Failures, (s, request, _, ct) => Api(s).ListFailuresAsync(request, ct)),
        new("ListSources", "GET", ApiRoutes.Sources, (s, request, _, ct) => Api(s).ListSourcesAsync(request, ct)),
        new("ListUnlinked", "GET", ApiRoutes.Unlinked, (s, request, _, ct) => Api(s).ListUnlinkedAsync(request, ct)),
        new("VerifyAudit", "GET", ApiRoutes.AuditVerification, (s, request, _, ct) => Api(s).VerifyAuditAsync(request, ct)),
        new("OpenApi", "GET", ApiRoutes.OpenApi, (_, _, _, _) => Task.FromResult(SupervisionApi.OpenApiDocument())),
        new("Health", "GET", ApiRoutes.Health, (s, _, _, ct) => Api(s).HealthAsync(s, ct)),
    ];

    private static SupervisionApi Api(IServiceProvider services) => services.GetRequiredService<SupervisionApi>();

    private static string Value(RouteValueDictionary route, string name) => route[name]?.ToString() ?? string.Empty;
}
