using Microsoft.Extensions.DependencyInjection;
using Supervision.Infrastructure.Api.Identity;
using Supervision.Infrastructure.Api.Callers;
using Supervision.Infrastructure.Api.Enterprises;
using Supervision.Infrastructure.Api.Health;
using Supervision.Infrastructure.Api.Operators;
using Supervision.Infrastructure.Api.Paging;
using Supervision.Infrastructure.Api.Reviewers;

namespace Supervision.Infrastructure.Api;

/// <summary>
/// The HTTP API: who the caller is (bearer tokens and the caller directory), the gate every route
/// passes, and the handlers of each route group.
/// </summary>
public static class ApiServices
{
    public static IServiceCollection AddSupervisionApi(this IServiceCollection services)
    {
        services.AddSupervisionIdentity();
        services.AddSingleton<CallerResolver>();
        services.AddSingleton<RouteAuthoriser>();
        services.AddSingleton<ApiGate>();
        services.AddOptions<PagingOptions>().BindConfiguration(PagingOptions.SectionName)
            .Validate(o => o.TokenLifetime > TimeSpan.Zero, "Paging:TokenLifetime must be positive")
            .Validate(
                o => string.IsNullOrWhiteSpace(o.TokenKey) || KeyLength(o.TokenKey) >= 32,
                "Paging:TokenKey must be base64 of 32 bytes or more")
            .ValidateOnStart();
        services.AddSingleton<PageTokenKey>();
        services.AddSingleton<ListPaging>();
        return services
            .AddReviewerRoutes()
            .AddEnterpriseRoutes()
            .AddOperatorRoutes()
            .AddDirectoryRoutes()
            .AddHealthRoutes();
    }

    private static int KeyLength(string base64)
    {
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var length) ? length : 0;
    }
}
