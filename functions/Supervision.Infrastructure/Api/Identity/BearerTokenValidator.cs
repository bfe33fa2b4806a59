using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Supervision.Domain.Security;

namespace Supervision.Infrastructure.Api.Identity;

/// <summary>
/// Validates a bearer JWT against the issuer's OpenID Connect metadata: signature (RS256 with a key
/// from the issuer's JWKS), issuer, audience and lifetime. Keys come from the metadata and are
/// fetched again when a token names a key not yet seen (the issuer rotated its keys); the manager
/// does that at most once per refresh interval (5 minutes), so forged key ids cannot make it fetch more.
/// </summary>
public sealed class BearerTokenValidator(
    IConfigurationManager<OpenIdConnectConfiguration>? metadata,
    IOptions<AuthOptions> options,
    TimeProvider time,
    ILogger<BearerTokenValidator> logger)
{
    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };

    /// <summary>The metadata of the configured issuer, or none when no issuer is configured.</summary>
    public static IConfigurationManager<OpenIdConnectConfiguration>? MetadataOf(AuthOptions options) =>
        options.MetadataUrl is { } url
            ? new ConfigurationManager<OpenIdConnectConfiguration>(
                url, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever { RequireHttps = options.RequireHttpsMetadata })
            : null;

    /// <summary>Who the token says is calling, or null when it is not a valid token of the configured issuer.</summary>
    public async Task<SignedInIdentity?> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        if (metadata is null || !handler.CanReadToken(token))
        {
            return null;
        }

        // A metadata outage is the server's fault, not the caller's: it is not caught here.
        var result = await ValidateAsync(token, await metadata.GetConfigurationAsync(cancellationToken));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            metadata.RequestRefresh();
            result = await ValidateAsync(token, await metadata.GetConfigurationAsync(cancellationToken));
        }

        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            logger.LogInformation("Bearer token refused: {Reason}", result.Exception?.Message ?? "not a JWT");
            return null;
        }

        return SignedInIdentity.FromClaims(type => jwt.Claims.Where(c => c.Type == type).Select(c => c.Value));
    }

    private Task<TokenValidationResult> ValidateAsync(string token, OpenIdConnectConfiguration configuration) =>
        handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = options.Value.Audience,
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = options.Value.ClockSkew,
            LifetimeValidator = (notBefore, expires, _, _) => IsCurrent(notBefore, expires),
        });

    /// <summary>
    /// Valid now, give or take the clock skew, and not valid for longer than any token the issuer
    /// makes: a far-future "exp" is refused, not trusted (nor does it overflow: it arrives clamped).
    /// </summary>
    private bool IsCurrent(DateTime? notBefore, DateTime? expires)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var skew = options.Value.ClockSkew;
        return expires is { } exp
            && exp > now - skew
            && (notBefore is not { } nbf || nbf <= now + skew)
            && exp - now <= options.Value.MaxTokenLifetime;
    }
}
