namespace Supervision.WebConsole;

/// <summary>
/// The headers every console response carries. Titles and excerpts come from hostile feeds, so the
/// pages render them as text only, and the policy forbids inline script and any script not served
/// by this app: even an injected tag would not run.
/// </summary>
public static class ConsoleHeaders
{
    /// <summary>Entra ID's sign-in host, which MSAL calls for tokens and keys (Azure only).</summary>
    public const string EntraHost = "https://login.microsoftonline.com";

    public static readonly string ContentSecurityPolicy = string.Join(
        "; ",
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        $"connect-src 'self' {EntraHost}",
        $"frame-src {EntraHost}",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "object-src 'none'");

    public static IReadOnlyList<KeyValuePair<string, string>> For(ConsoleFile file) =>
    [
        new("Content-Type", file.ContentType),
        new("Content-Security-Policy", ContentSecurityPolicy),
        new("X-Content-Type-Options", "nosniff"),
        new("Referrer-Policy", "no-referrer"),
        new("Cross-Origin-Opener-Policy", "same-origin"),

        // Pages are small and change with each deployment; libraries are pinned, so may be kept an hour.
        new("Cache-Control", file.Path.StartsWith("lib/", StringComparison.Ordinal) ? "public, max-age=3600" : "no-cache"),
    ];
}
