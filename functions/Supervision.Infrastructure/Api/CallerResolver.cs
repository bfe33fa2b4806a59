using Microsoft.Extensions.Configuration;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api.Identity;

namespace Supervision.Infrastructure.Api;

/// <summary>
/// Finds out who is calling: App Service Authentication's principal when the platform says it is on,
/// else a bearer JWT of the configured issuer; then the directory says which enterprise or
/// institution that subject speaks for. Null when the request proves no identity.
/// </summary>
public sealed class CallerResolver(BearerTokenValidator tokens, ICallerDirectory directory, IConfiguration configuration)
{
    private const string BearerPrefix = "Bearer ";

    // Set by the platform itself; while it is not "True" anyone could send the principal header.
    private bool AppServiceAuthenticationOn =>
        string.Equals(configuration[AppServicePrincipal.EnabledSetting], "True", StringComparison.OrdinalIgnoreCase);

    public async Task<Caller?> ResolveAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        SignedInIdentity? identity = null;
        if (AppServiceAuthenticationOn && request.Header(AppServicePrincipal.HeaderName) is { Length: > 0 } principal)
        {
            identity = AppServicePrincipal.Parse(principal);
        }
        else if (request.Header("Authorization") is { } authorization
            && authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            identity = await tokens.ValidateAsync(authorization[BearerPrefix.Length..].Trim(), cancellationToken);
        }

        return identity is null ? null : identity.ToCaller(await directory.FindAsync(identity.Subject, cancellationToken));
    }
}
