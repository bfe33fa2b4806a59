using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Api.Health;

namespace Supervision.FunctionApp.Api;

/// <summary>The routes that answer anyone: health (details for operators) and the API document.</summary>
public sealed class HealthFunctions(ApiGate gate, HealthRoutes health)
{
    [Function(nameof(Health))]
    public Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Health)] HttpRequest request,
        FunctionContext context,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(Health),
            request,
            [],
            (caller, _) => health.HealthAsync(context.InstanceServices, caller, cancellationToken),
            cancellationToken);

    [Function(nameof(OpenApi))]
    public Task<IActionResult> OpenApi(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.OpenApi)] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(OpenApi),
            request,
            [],
            (_, _) => Task.FromResult(HealthRoutes.OpenApiDocument()),
            cancellationToken);
}
