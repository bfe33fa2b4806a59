using Microsoft.Extensions.Options;
using Supervision.Domain.Security;

namespace Supervision.Infrastructure.Api;

/// <summary>Settings of caller identity (section "Auth").</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>True only behind App Service Authentication, which sets X-MS-CLIENT-PRINCIPAL itself.</summary>
    public bool TrustAppServicePrincipal { get; set; }

    /// <summary>Base64 key for development tokens; empty in Azure, so no development token is accepted there.</summary>
    public string? DevelopmentTokenKey { get; set; }
}

/// <summary>Finds out who is calling, from the platform's principal or a signed development token.</summary>
public sealed class CallerResolver(IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly DevelopmentTokens? tokens = string.IsNullOrWhiteSpace(options.Value.DevelopmentTokenKey)
        ? null
        : new DevelopmentTokens(Convert.FromBase64String(options.Value.DevelopmentTokenKey), time);

    public Caller? Resolve(ApiRequest request)
    {
        if (options.Value.TrustAppServicePrincipal && request.Header(AppServicePrincipal.HeaderName) is { Length: > 0 } principal)
        {
            return AppServicePrincipal.Parse(principal);
        }

        var authorization = request.Header("Authorization");
        if (tokens is not null && authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return tokens.Validate(authorization["Bearer ".Length..].Trim());
        }

        return null;
    }
}
