using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api;

namespace Supervision.FunctionApp.Api;

/// <summary>
/// How every HTTP function runs: read the request with its route values, pass the API gate, call the
/// group's handler with the caller the gate resolved, write the response. Functions authorisation is
/// anonymous on purpose: callers are identified by App Service Authentication and checked by the gate.
/// </summary>
internal static class GatedHttp
{
    public static async Task<IActionResult> PassAsync(
        this ApiGate gate,
        string function,
        HttpRequest http,
        IEnumerable<(string Name, string Value)> route,
        Func<Caller, ApiRequest, Task<ApiResponse>> handler,
        CancellationToken cancellationToken)
    {
        var request = (await http.ToApiRequestAsync(cancellationToken)).WithRoute(route);
        return Write(await gate.PassAsync(function, request, caller => handler(caller, request)));
    }

    private static ApiResult Write(ApiResponse response) => new(response);

    /// <summary>A response written as the local host writes it (<see cref="HttpApiAdapter.WriteAsync"/>).</summary>
    private sealed class ApiResult(ApiResponse response) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) =>
            response.WriteAsync(context.HttpContext.Response, context.HttpContext.RequestAborted);
    }
}
