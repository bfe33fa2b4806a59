using Microsoft.Extensions.DependencyInjection;
using Supervision.Infrastructure.Api.Enterprises;
using Supervision.Infrastructure.Api.Health;
using Supervision.Infrastructure.Api.Operators;
using Supervision.Infrastructure.Api.Reviewers;

namespace Supervision.Infrastructure.Api;

/// <summary>The HTTP API: who the caller is, the gate every route passes, and the handlers of each route group.</summary>
public static class ApiServices
{
    public static IServiceCollection AddSupervisionApi(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        services.AddSingleton<CallerResolver>();
        services.AddSingleton<ApiGate>();
        return services
            .AddReviewerRoutes()
            .AddEnterpriseRoutes()
            .AddOperatorRoutes()
            .AddHealthRoutes();
    }
}
