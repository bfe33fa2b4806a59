using Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api.Identity;

namespace Supervision.Infrastructure.Api;

/// <summary>
/// Finds out who is calling: App Service Authentication's principal when the platform says it is on,
/// else a bearer JWT of the configured issuer; then the directory says which enterprise or
/// institution that subject speaks for. Null when the request proves no identity.
/// </summary>
public sealed class CallerResolver(
    BearerTokenValidator tokens, ICallerDirectory directory, IConfiguration configuration, ILogger<CallerResolver> logger)
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

        return identity is null ? null : identity.ToCaller(await DirectoryEntryOfAsync(identity.Subject, cancellationToken));
    }

    /// <summary>
    /// The directory's entry for a subject; none while storage cannot be read. Without an entry a
    /// caller keeps only its app roles, so an outage takes rights away and never adds any, and an
    /// operator can still read health's details while storage is down.
    /// </summary>
    private async Task<DirectoryEntry?> DirectoryEntryOfAsync(string subject, CancellationToken cancellationToken)
    {
        try
        {
            return await directory.FindAsync(subject, cancellationToken);
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or TimeoutException or AggregateException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning("调用方目录不可读 / caller directory unreadable for {Subject}: {Reason}", subject, e.Message);
            return null;
        }
    }
}
