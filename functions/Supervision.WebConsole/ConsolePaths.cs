namespace Supervision.WebConsole;

/// <summary>Where the console lives: outside /api, on the same origin as the API it calls.</summary>
public static class ConsolePaths
{
    /// <summary>The route of the function (and local endpoint) that serves every console file.</summary>
    public const string Route = "console/{*path}";

    public const string Root = "/console/";

    public const string AppPage = "index.html";

    public const string DevelopmentSignInPage = "signin.html";

    /// <summary>How the page learns which sign-in to use; answered by the host from its settings.</summary>
    public const string Configuration = "config.json";

    /// <summary>The local host's development token endpoint (POST), beside the development sign-in page.</summary>
    public const string DevelopmentToken = "/console/dev/token";

    /// <summary>"/console" without its slash: sent on to <see cref="Root"/>, so that the address bar shows one form.</summary>
    public static bool NeedsSlash(string? requestPath) => string.Equals(requestPath, Root.TrimEnd('/'), StringComparison.Ordinal);
}
