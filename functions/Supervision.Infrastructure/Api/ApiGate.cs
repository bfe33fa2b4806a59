using Microsoft.Extensions.Logging;
using Supervision.Domain.Security;

namespace Supervision.Infrastructure.Api;

/// <summary>
/// The door every HTTP route passes: it resolves the caller once, checks the route's audience in
/// <see cref="RouteAccess"/>, and only then hands the handler a <see cref="Caller"/> (401 without
/// identity where one is needed, 403, logged, for anyone outside the audience).
/// </summary>
public sealed class ApiGate(CallerResolver callers, ILogger<ApiGate> logger)
{
    public async Task<ApiResponse> PassAsync(string function, ApiRequest request, Func<Caller, Task<ApiResponse>> handler)
    {
        var rule = RouteAccess.For(function);
        var caller = await callers.ResolveAsync(request, CancellationToken.None);
        switch (rule.Audience.Check(caller, request))
        {
            case AccessVerdict.Unauthenticated:
                return ApiResponse.Problem(
                    401,
                    "Who are you?",
                    "请提供签发方的令牌 / send 'Authorization: Bearer <token>' from the configured issuer "
                    + "(Entra ID in Azure; locally: dotnet run --project functions/Supervision.LocalHost -- token).");
            case AccessVerdict.Forbidden:
                var audience = rule.Audience.Describe(request);
                logger.LogWarning(
                    "{Caller} was refused {Function}: only {Audience} may", caller!.Describe(), function, audience);
                return ApiResponse.Problem(403, TitleOf(rule), $"Only {audience} may {rule.Action}.");
            default:
                return await handler(caller ?? Caller.Anonymous);
        }
    }

    private static string TitleOf(RouteRule rule) => rule.Audience.Kind switch
    {
        AudienceKind.DepartmentStaff => "Not your department",
        AudienceKind.Role or AudienceKind.Enterprise => "Not your role",
        _ => "Not allowed",
    };
}
