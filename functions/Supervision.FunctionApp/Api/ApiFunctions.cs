using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Supervision.Infrastructure.Api;

namespace Supervision.FunctionApp.Api;

/// <summary>
/// The HTTP API. Functions authorisation is anonymous on purpose: callers are identified by
/// App Service Authentication and every handler checks department and role itself.
/// </summary>
public sealed class ApiFunctions(SupervisionApi api)
{
    [Function(nameof(ListReviews))]
    public async Task<IActionResult> ListReviews(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Reviews)] HttpRequest request, CancellationToken cancellationToken) =>
        Write(await api.ListReviewsAsync(await request.ToApiRequestAsync(cancellationToken), cancellationToken));

    [Function(nameof(GetReview))]
    public async Task<IActionResult> GetReview(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Review)] HttpRequest request, string caseId, CancellationToken cancellationToken) =>
        Write(await api.GetReviewAsync(await request.ToApiRequestAsync(cancellationToken), caseId, cancellationToken));

    [Function(nameof(SubmitDecision))]
    public async Task<IActionResult> SubmitDecision(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Decision)] HttpRequest request,
        string caseId,
        string department,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        Write(await api.SubmitDecisionAsync(await request.ToApiRequestAsync(cancellationToken), caseId, department, durable, cancellationToken));

    [Function(nameof(ReportImplementation))]
    public async Task<IActionResult> ReportImplementation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Implementation)] HttpRequest request,
        string caseId,
        string department,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        Write(await api.ReportImplementationAsync(await request.ToApiRequestAsync(cancellationToken), caseId, department, durable, cancellationToken));

    [Function(nameof(FileObjection))]
    public async Task<IActionResult> FileObjection(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Objection)] HttpRequest request,
        string caseId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        Write(await api.ObjectAsync(await request.ToApiRequestAsync(cancellationToken), caseId, durable, cancellationToken));

    [Function(nameof(RequestRepair))]
    public async Task<IActionResult> RequestRepair(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Repair)] HttpRequest request,
        string caseId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        Write(await api.RequestRepairAsync(await request.ToApiRequestAsync(cancellationToken), caseId, durable, cancellationToken));

    [Function(nameof(DecideRepair))]
    public async Task<IActionResult> DecideRepair(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.RepairDecision)] HttpRequest request,
        string caseId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        Write(await api.DecideRepairAsync(await request.ToApiRequestAsync(cancellationToken), caseId, durable, cancellationToken));

    [Function(nameof(GetPortrait))]
    public async Task<IActionResult> GetPortrait(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Portrait)] HttpRequest request, string uscc, CancellationToken cancellationToken) =>
        Write(await api.GetPortraitAsync(await request.ToApiRequestAsync(cancellationToken), uscc, cancellationToken));

    [Function(nameof(ListQuarantine))]
    public async Task<IActionResult> ListQuarantine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Quarantine)] HttpRequest request, CancellationToken cancellationToken) =>
        Write(await api.ListQuarantineAsync(await request.ToApiRequestAsync(cancellationToken), cancellationToken));

    [Function(nameof(ListFailures))]
    public async Task<IActionResult> ListFailures(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Failures)] HttpRequest request, CancellationToken cancellationToken) =>
        Write(await api.ListFailuresAsync(await request.ToApiRequestAsync(cancellationToken), cancellationToken));

    [Function(nameof(ListSources))]
    public async Task<IActionResult> ListSources(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Sources)] HttpRequest request, CancellationToken cancellationToken) =>
        Write(await api.ListSourcesAsync(await request.ToApiRequestAsync(cancellationToken), cancellationToken));

    [Function(nameof(ListUnlinked))]
    public async Task<IActionResult> ListUnlinked(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Unlinked)] HttpRequest request, CancellationToken cancellationToken) =>
        Write(await api.ListUnlinkedAsync(await request.ToApiRequestAsync(cancellationToken), cancellationToken));

    [Function(nameof(VerifyAudit))]
    public async Task<IActionResult> VerifyAudit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.AuditVerification)] HttpRequest request, CancellationToken cancellationToken) =>
        Write(await api.VerifyAuditAsync(await request.ToApiRequestAsync(cancellationToken), cancellationToken));

    [Function(nameof(OpenApi))]
    public static IActionResult OpenApi(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.OpenApi)] HttpRequest request) =>
        Write(SupervisionApi.OpenApiDocument());

    [Function(nameof(Health))]
    public async Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Health)] HttpRequest request, FunctionContext context, CancellationToken cancellationToken) =>
        Write(await api.HealthAsync(context.InstanceServices, cancellationToken));

    private static ContentResult Write(ApiResponse response) =>
        new() { StatusCode = response.Status, Content = response.BodyJson(), ContentType = "application/json; charset=utf-8" };
}
