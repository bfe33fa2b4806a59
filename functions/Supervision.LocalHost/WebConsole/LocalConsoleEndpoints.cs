using Supervision.WebConsole;

namespace Supervision.LocalHost.WebConsole;

/// <summary>
/// The console on the local host, as the Functions app serves it (the same files, headers and
/// config.json), plus the development sign-in page's token endpoint when a development key is set.
/// </summary>
public static class LocalConsoleEndpoints
{
    /// <summary>How the drift test sees the console's route, as functions.metadata names the Functions app's.</summary>
    public const string Description = "http Console GET " + ConsolePaths.Route;

    public static WebApplication MapConsole(this WebApplication app, IReadOnlyDictionary<string, string?> settings)
    {
        var issuesTokens = settings.ContainsKey(Identity.LocalIssuer.SigningKeySetting);
        var signIn = ConsoleSignIn.FromSettings(key => app.Configuration[key], issuesTokens);

        app.MapGet("/" + ConsolePaths.Route.Replace("{*path}", "{**path}", StringComparison.Ordinal), (HttpContext context, string? path) =>
        {
            if (ConsolePaths.NeedsSlash(context.Request.Path.Value))
            {
                context.Response.Redirect(ConsolePaths.Root);
                return Task.CompletedTask;
            }

            var reply = ConsoleReply.For(path, signIn);
            foreach (var (name, value) in reply.Headers)
            {
                context.Response.Headers[name] = value;
            }

            context.Response.StatusCode = reply.Status;
            return context.Response.Body.WriteAsync(reply.File.Bytes, context.RequestAborted).AsTask();
        });

        if (signIn.IsDevelopment)
        {
            app.MapDevelopmentSignIn(app.Configuration[ConsoleSignIn.DevelopmentKeySetting]!, settings);
        }

        return app;
    }
}
