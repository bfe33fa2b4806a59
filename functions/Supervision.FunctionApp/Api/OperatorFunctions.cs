using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Api.Operators;

namespace Supervision.FunctionApp.Api;

/// <summary>The operators' routes.</summary>
public sealed class OperatorFunctions(ApiGate gate, OperatorRoutes operators)
{
    [Function(nameof(ListQuarantine))]
    public Task<IActionResult> ListQuarantine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Quarantine)] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(ListQuarantine),
            request,
            [],
            (caller, call) => operators.ListQuarantineAsync(caller, call, cancellationToken),
            cancellationToken);

    [Function(nameof(ListFailures))]
    public Task<IActionResult> ListFailures(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Failures)] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(ListFailures),
            request,
            [],
            (caller, call) => operators.ListFailuresAsync(caller, call, cancellationToken),
            cancellationToken);

    [Function(nameof(ListSources))]
    public Task<IActionResult> ListSources(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Sources)] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(ListSources),
            request,
            [],
            (caller, call) => operators.ListSourcesAsync(caller, call, cancellationToken),
            cancellationToken);

    [Function(nameof(ListUnlinked))]
    public Task<IActionResult> ListUnlinked(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.Unlinked)] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(ListUnlinked),
            request,
            [],
            (caller, call) => operators.ListUnlinkedAsync(caller, call, cancellationToken),
            cancellationToken);

    [Function(nameof(VerifyAudit))]
    public Task<IActionResult> VerifyAudit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.AuditVerification)] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(VerifyAudit),
            request,
            [],
            (_, r) => operators.VerifyAuditAsync(r.QueryValue("full") is "true", cancellationToken),
            cancellationToken);
}
