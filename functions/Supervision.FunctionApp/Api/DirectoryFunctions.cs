using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Api.Callers;

namespace Supervision.FunctionApp.Api;

/// <summary>The operators' routes to the caller directory.</summary>
public sealed class DirectoryFunctions(ApiGate gate, DirectoryRoutes directory)
{
    [Function(nameof(GetDirectoryEntry))]
    public Task<IActionResult> GetDirectoryEntry(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ApiRoutes.DirectoryEntry)] HttpRequest request,
        string subject,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(GetDirectoryEntry),
            request,
            [("subject", subject)],
            (_, _) => directory.GetEntryAsync(subject, cancellationToken),
            cancellationToken);

    [Function(nameof(PutDirectoryEntry))]
    public Task<IActionResult> PutDirectoryEntry(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = ApiRoutes.DirectoryEntry)] HttpRequest request,
        string subject,
        CancellationToken cancellationToken) =>
        gate.PassAsync(
            nameof(PutDirectoryEntry),
            request,
            [("subject", subject)],
            (caller, call) => directory.PutEntryAsync(caller, call, subject, cancellationToken),
            cancellationToken);
}
