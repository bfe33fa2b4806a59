using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Api.Reviewers;

namespace Supervision.FunctionApp.Api;

/// <summary>The reviewers' routes; the Durable client is bound only to raise the review's events.</summary>
public sealed class ReviewerFunctions(ApiGate gate, ReviewerRoutes reviewers)
{
    [Function(nameof(ListReviews))]
    public Task<IActionResult> ListReviews(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Reviews)] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(ListReviews),
            request,
            [],
            (caller, call) => reviewers.ListReviewsAsync(caller, call, cancellationToken),
            cancellationToken);

    [Function(nameof(GetReview))]
    public Task<IActionResult> GetReview(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Review)] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(GetReview),
            request,
            [("caseId", caseId)],
            (caller, _) => reviewers.GetReviewAsync(caller, caseId, cancellationToken),
            cancellationToken);

    [Function(nameof(GetEvidenceRaw))]
    public Task<IActionResult> GetEvidenceRaw(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.EvidenceRaw)] HttpRequest request,
        string caseId,
        string evidenceId,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(GetEvidenceRaw),
            request,
            [("caseId", caseId), ("evidenceId", evidenceId)],
            (caller, _) => reviewers.GetEvidenceRawAsync(caller, caseId, evidenceId, cancellationToken),
            cancellationToken);

    [Function(nameof(SubmitDecision))]
    public Task<IActionResult> SubmitDecision(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Decision)] HttpRequest request,
        string caseId,
        string department,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(SubmitDecision),
            request,
            [("caseId", caseId), ("department", department)],
            (caller, call) => reviewers.SubmitDecisionAsync(caller, call, caseId, department, durable, cancellationToken),
            cancellationToken);

    [Function(nameof(ReportImplementation))]
    public Task<IActionResult> ReportImplementation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Implementation)] HttpRequest request,
        string caseId,
        string department,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(ReportImplementation),
            request,
            [("caseId", caseId), ("department", department)],
            (caller, call) => reviewers.ReportImplementationAsync(caller, call, caseId, department, durable, cancellationToken),
            cancellationToken);

    [Function(nameof(DecideRepair))]
    public Task<IActionResult> DecideRepair(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.RepairDecision)] HttpRequest request,
        string caseId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(DecideRepair),
            request,
            [("caseId", caseId)],
            (caller, call) => reviewers.DecideRepairAsync(caller, call, caseId, durable, cancellationToken),
            cancellationToken);

    [Function(nameof(GetPortrait))]
    public Task<IActionResult> GetPortrait(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Portrait)] HttpRequest request,
        string uscc,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(GetPortrait),
            request,
            [("uscc", uscc)],
            (_, _) => reviewers.GetPortraitAsync(uscc, cancellationToken),
            cancellationToken);
}
