using Microsoft.Extensions.DependencyInjection;

namespace Supervision.Infrastructure.Api;

/// <summary>The HTTP API: who the caller is, and the handlers of each route group.</summary>
public static class ApiServices
{
    public static IServiceCollection AddSupervisionApi(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        services.AddSingleton<CallerResolver>();
        services.AddSingleton<SupervisionApi>();
        return services;
    }
}
