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
        return Write(await gate.PassAsync(function, request, caller => handler(caller, request)), http.HttpContext.Response);
    }

    private static ContentResult Write(ApiResponse response, HttpResponse http)
    {
        foreach (var (name, value) in response.Headers)
        {
            http.Headers[name] = value;
        }

        return new() { StatusCode = response.Status, Content = response.BodyJson(), ContentType = response.ContentType };
    }
}
