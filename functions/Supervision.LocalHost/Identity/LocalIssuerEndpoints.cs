using System.Globalization;

namespace Supervision.LocalHost.Identity;

/// <summary>Serves the local issuer's metadata and key set, and points the app's validator at them.</summary>
public static class LocalIssuerEndpoints
{
    /// <summary>
    /// These settings with the validator aimed at this host's own issuer when a signing key is set
    /// (settings already present win, so a developer can aim the local host at a real Entra tenant).
    /// </summary>
    public static IReadOnlyDictionary<string, string?> WithLocalIssuer(IReadOnlyDictionary<string, string?> settings, int port)
    {
        if (string.IsNullOrEmpty(settings.GetValueOrDefault(LocalIssuer.SigningKeySetting)))
        {
            return settings;
        }

        var merged = new Dictionary<string, string?>(settings, StringComparer.OrdinalIgnoreCase);
        var metadata = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}{LocalIssuer.MetadataPath}");
        if (string.IsNullOrEmpty(merged.GetValueOrDefault("Auth:Authority"))
            && string.IsNullOrEmpty(merged.GetValueOrDefault("Auth:MetadataAddress")))
        {
            merged["Auth:MetadataAddress"] = metadata;
            merged["Auth:Audience"] = LocalIssuer.Audience;
            merged["Auth:RequireHttpsMetadata"] = "false";
        }

        return merged;
    }

    public static WebApplication MapLocalIssuer(this WebApplication app, IReadOnlyDictionary<string, string?> settings)
    {
        if (settings.GetValueOrDefault(LocalIssuer.SigningKeySetting) is not { Length: > 0 } signingKey)
        {
            return app;
        }

        var issuer = new LocalIssuer(signingKey);
        app.MapGet(LocalIssuer.MetadataPath, (HttpContext context) =>
            Results.Text(issuer.MetadataJson($"{context.Request.Scheme}://{context.Request.Host}"), "application/json"));
        app.MapGet(LocalIssuer.KeysPath, () => Results.Text(issuer.KeysJson(), "application/json"));
        return app;
    }
}
