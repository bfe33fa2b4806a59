using Microsoft.DurableTask.Client;
using Supervision.Infrastructure.Alerts;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Scoring;
using Supervision.Infrastructure.Storage;

namespace Supervision.LocalHost.Triggers;

/// <summary>A queue-triggered function: its name, the queue, and the work per message.</summary>
public sealed record QueueFunction(string Name, string Queue, Func<IServiceProvider, string, CancellationToken, Task> Run);

/// <summary>A timer-triggered function: its name, its schedule as written in the attribute (%SETTING% allowed), and the work.</summary>
public sealed record TimerFunction(string Name, string Schedule, Func<IServiceProvider, CancellationToken, Task> Run);

/// <summary>An HTTP function: name, method, route under /api, and the handler.</summary>
public sealed record HttpFunction(string Name, string Method, string Route, Func<IServiceProvider, ApiRequest, RouteValueDictionary, CancellationToken, Task<ApiResponse>> Run);

/// <summary>
/// Everything the local host wires, mirroring the Functions app trigger for trigger and calling
/// the same handlers. The local host is built from this table, and a test compares it with the
/// Functions app's functions.metadata, so the two cannot drift apart.
/// </summary>
public static class LocalFunctions
{
    public static readonly IReadOnlyList<TimerFunction> Timers =
    [
        new("PullFeeds", "%FEED_PULL_SCHEDULE%", (services, ct) => services.GetRequiredService<SourcePullHandler>().PullDueAsync(ct)),
        new("ScanInbox", "%INBOX_SCAN_SCHEDULE%", (services, ct) => services.GetRequiredService<InboxHandler>().ScanAsync(services.GetRequiredService<DurableTaskClient>(), ct)),
    ];

    public static readonly IReadOnlyList<QueueFunction> Queues =
    [
        new("ScoreItem", StorageNames.Queues.ItemsToScore, (services, message, ct) =>
            services.GetRequiredService<ItemScoringHandler>().HandleAsync(message, services.GetRequiredService<DurableTaskClient>(), ct)),
        new("SendAlert", StorageNames.Queues.Alerts, (services, message, ct) =>
            services.GetRequiredService<AlertDeliveryHandler>().HandleAsync(message, ct)),
    ];

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

    public static IEnumerable<Type> Orchestrators => ReviewWorkflow.Orchestrators;

    public static IEnumerable<Type> Activities => ReviewWorkflow.Activities;

    /// <summary>One line per trigger, in the same form the drift test derives from functions.metadata.</summary>
    public static IEnumerable<string> Describe() =>
        Timers.Select(t => $"timer {t.Name} {t.Schedule}")
            .Concat(Queues.Select(q => $"queue {q.Name} {q.Queue}"))
            .Concat(Http.Select(h => $"http {h.Name} {h.Method.ToUpperInvariant()} {h.Route}"))
            .Concat(Orchestrators.Select(o => $"orchestration {o.Name}"))
            .Concat(Activities.Select(a => $"activity {a.Name}"));

    private static SupervisionApi Api(IServiceProvider services) => services.GetRequiredService<SupervisionApi>();

    private static string Value(RouteValueDictionary route, string name) => route[name]?.ToString() ?? string.Empty;
}
