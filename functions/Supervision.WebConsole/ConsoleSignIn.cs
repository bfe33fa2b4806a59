using System.Text.Json;
using System.Text.Json.Serialization;

namespace Supervision.WebConsole;

/// <summary>
/// How the page signs a person in, served as config.json: "development" (the local host's sign-in page,
/// only when a development key is set) or "entra" (Entra ID, authorisation code with PKCE through
/// msal-browser, for the app registration the settings name), or "none" when neither is configured.
/// </summary>
public sealed record ConsoleSignIn(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("clientId")] string? ClientId = null,
    [property: JsonPropertyName("authority")] string? Authority = null,
    [property: JsonPropertyName("scopes")] IReadOnlyList<string>? Scopes = null)
{
    /// <summary>Settings (configuration keys) read by <see cref="FromSettings"/>.</summary>
    public const string DevelopmentKeySetting = "Console:DevelopmentKey";
    public const string ClientIdSetting = "Console:ClientId";
    public const string AuthoritySetting = "Console:Authority";
    public const string ScopeSetting = "Console:Scope";

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    [JsonIgnore]
    public bool IsDevelopment => Mode == "development";

    /// <summary>
    /// From the host's settings. The SPA's client id and authority default to the API's (Auth:Audience is the
    /// app registration's client id or its api:// URI; Auth:Authority the tenant's v2.0 issuer), and the
    /// scope to the API's ".default", whose token carries the person's app roles.
    /// </summary>
    /// <param name="setting">Reads one setting.</param>
    /// <param name="servesDevelopmentTokens">Whether this host can issue development tokens (the local host
    /// can; the Functions app never does, so a development key set there by mistake changes nothing).</param>
    public static ConsoleSignIn FromSettings(Func<string, string?> setting, bool servesDevelopmentTokens)
    {
        if (servesDevelopmentTokens && setting(DevelopmentKeySetting) is { Length: > 0 })
        {
            return new ConsoleSignIn("development");
        }

        var audience = setting("Auth:Audience");
        var clientId = setting(ClientIdSetting) is { Length: > 0 } id
            ? id
            : audience?.Replace("api://", string.Empty, StringComparison.Ordinal);
        var authority = setting(AuthoritySetting) is { Length: > 0 } named ? named : TenantAuthority(setting("Auth:Authority"));
        if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(authority) || string.IsNullOrEmpty(audience))
        {
            return new ConsoleSignIn("none");
        }

        var scope = setting(ScopeSetting) is { Length: > 0 } s
            ? s
            : (audience.StartsWith("api://", StringComparison.Ordinal) ? audience : "api://" + audience) + "/.default";
        return new ConsoleSignIn("entra", clientId, authority, [scope]);
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>MSAL wants https://login.microsoftonline.com/{tenant}, the issuer without its "/v2.0".</summary>
    private static string? TenantAuthority(string? issuer) =>
        issuer?.TrimEnd('/') is { } trimmed && trimmed.EndsWith("/v2.0", StringComparison.Ordinal) ? trimmed[..^"/v2.0".Length] : issuer;
}
