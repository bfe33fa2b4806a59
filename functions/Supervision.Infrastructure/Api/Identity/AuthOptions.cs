namespace Supervision.Infrastructure.Api.Identity;

/// <summary>
/// How callers prove who they are (section "Auth"): bearer JWTs from one OpenID Connect issuer
/// (Entra ID in Azure, the local host's own issuer locally), validated against its metadata.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The issuer's base address, e.g. https://login.microsoftonline.com/{tenant}/v2.0; its metadata is below it.</summary>
    public string? Authority { get; set; }

    /// <summary>Where the OpenID metadata is, when not at {Authority}/.well-known/openid-configuration.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>The "aud" a token must carry: the app registration's client id (Entra v2 tokens).</summary>
    public string? Audience { get; set; }

    /// <summary>False only for the local host's own issuer on the loopback address.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// The longest a token may still be valid for: Entra issues 60-90 minutes; a token valid far longer
    /// was not made by it (a far-future "exp").
    /// </summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromDays(1);

    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a directory lookup is reused before the table is asked again.</summary>
    public TimeSpan DirectoryCacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The metadata address in force; null when no issuer is configured (no bearer token is then accepted).</summary>
    public string? MetadataUrl => !string.IsNullOrWhiteSpace(MetadataAddress) ? MetadataAddress
        : !string.IsNullOrWhiteSpace(Authority) ? $"{Authority.TrimEnd('/')}/.well-known/openid-configuration"
        : null;
}
