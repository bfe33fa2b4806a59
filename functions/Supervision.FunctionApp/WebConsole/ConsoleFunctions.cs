using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Supervision.WebConsole;

namespace Supervision.FunctionApp.WebConsole;

/// <summary>
/// Serves the review console outside /api, on the API's origin: the pages call the API with the same
/// bearer tokens machine clients use, so nothing stands in front of the API. Anonymous, as the pages hold
/// no data; every call they make passes the API's gate.
/// </summary>
public sealed class ConsoleFunctions(IConfiguration configuration)
{
    [Function("Console")]
    public IActionResult Serve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ConsolePaths.Route)] HttpRequest request,
        string? path)
    {
        if (ConsolePaths.NeedsSlash(request.Path.Value))
        {
            return new RedirectResult(ConsolePaths.Root);
        }

        var reply = ConsoleReply.For(path, ConsoleSignIn.FromSettings(key => configuration[key], servesDevelopmentTokens: false));
        foreach (var (name, value) in reply.Headers)
        {
            request.HttpContext.Response.Headers[name] = value;
        }

        return reply.Status == StatusCodes.Status200OK
            ? new FileContentResult(reply.File.Bytes, reply.File.ContentType)
            : new ContentResult
            {
                StatusCode = reply.Status,
                Content = System.Text.Encoding.UTF8.GetString(reply.File.Bytes),
                ContentType = reply.File.ContentType,
            };
    }
}
