using Supervision.Domain.Security;

namespace Supervision.Infrastructure.Api;

/// <summary>
/// The door every HTTP route passes: it resolves the caller once, lets <see cref="RouteAuthoriser"/>
/// apply the route's row of <see cref="RouteAccess"/>, and only then hands the handler a
/// <see cref="Caller"/> (401 without identity where one is needed, 403, logged, for anyone the row
/// does not admit).
/// </summary>
public sealed class ApiGate(CallerResolver callers, RouteAuthoriser authoriser)
{
    public async Task<ApiResponse> PassAsync(string function, ApiRequest request, Func<Caller, Task<ApiResponse>> handler)
    {
        var caller = await callers.ResolveAsync(request, CancellationToken.None);
        return await authoriser.RefusalAsync(function, caller, request, CancellationToken.None)
            ?? await handler(caller ?? Caller.Anonymous);
    }
}
