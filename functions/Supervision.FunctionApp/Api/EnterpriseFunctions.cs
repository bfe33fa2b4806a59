using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Api.Enterprises;

namespace Supervision.FunctionApp.Api;

/// <summary>The enterprises' routes; the Durable client is bound only to raise the review's events.</summary>
public sealed class EnterpriseFunctions(ApiGate gate, EnterpriseRoutes enterprises)
{
    [Function(nameof(FileObjection))]
    public Task<IActionResult> FileObjection(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Objection)] HttpRequest request,
        string caseId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(FileObjection),
            request,
            [("caseId", caseId)],
            (caller, call) => enterprises.FileObjectionAsync(caller, call, caseId, durable, cancellationToken),
            cancellationToken);

    [Function(nameof(RequestRepair))]
    public Task<IActionResult> RequestRepair(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.Repair)] HttpRequest request,
        string caseId,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(RequestRepair),
            request,
            [("caseId", caseId)],
            (caller, call) => enterprises.RequestRepairAsync(caller, call, caseId, durable, cancellationToken),
            cancellationToken);
}
