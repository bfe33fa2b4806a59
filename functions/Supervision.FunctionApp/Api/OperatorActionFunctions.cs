using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Api.Operators;

namespace Supervision.FunctionApp.Api;

/// <summary>The operators' actions (replay, link, alias) and a source's history.</summary>
public sealed class OperatorActionFunctions(ApiGate gate, OperatorActions actions)
{
    [Function(nameof(ReplayFailure))]
    public Task<IActionResult> ReplayFailure(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.FailureReplay)] HttpRequest request,
        string failureId,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(ReplayFailure),
            request,
            [("failureId", failureId)],
            (caller, _) => actions.ReplayFailureAsync(caller, failureId, cancellationToken),
            cancellationToken);

    [Function(nameof(LinkUnlinked))]
    public Task<IActionResult> LinkUnlinked(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.UnlinkedLink)] HttpRequest request,
        string mentionId,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(LinkUnlinked),
            request,
            [("mentionId", mentionId)],
            (caller, call) => actions.LinkUnlinkedAsync(caller, call, mentionId, cancellationToken),
            cancellationToken);

    [Function(nameof(AddRegistryAlias))]
    public Task<IActionResult> AddRegistryAlias(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ApiRoutes.RegistryAliases)] HttpRequest request,
        string uscc,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(AddRegistryAlias),
            request,
            [("uscc", uscc)],
            (caller, call) => actions.AddAliasAsync(caller, call, uscc, cancellationToken),
            cancellationToken);

    [Function(nameof(GetSourceHistory))]
    public Task<IActionResult> GetSourceHistory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.SourceHistory)] HttpRequest request,
        string sourceId,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(GetSourceHistory),
            request,
            [("sourceId", sourceId)],
            (_, call) => actions.SourceHistoryAsync(call, sourceId, cancellationToken),
            cancellationToken);
}
