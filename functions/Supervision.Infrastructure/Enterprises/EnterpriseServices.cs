using Microsoft.Extensions.DependencyInjection;

namespace Supervision.Infrastructure.Enterprises;

/// <summary>The enterprise registry every stage reads: its table, its options, and the in-memory name index.</summary>
public static class EnterpriseServices
{
    public static IServiceCollection AddEnterprises(this IServiceCollection services)
    {
        services.AddOptions<EnterpriseRegistryOptions>().BindConfiguration(EnterpriseRegistryOptions.SectionName)
            .Validate(
                o => o.RefreshEvery > TimeSpan.Zero && o.ChangeOverlap > TimeSpan.Zero && o.FullReloadAbove > 0
                    && o.ChangeRetention >= 4 * (o.ChangeOverlap + o.RefreshEvery),
                "Enterprises:RefreshEvery, ChangeOverlap and FullReloadAbove must be positive, "
                    + "ChangeRetention at least four times ChangeOverlap + RefreshEvery")
            .ValidateOnStart();
        services.AddSingleton<EnterpriseTable>();
        services.AddSingleton<EnterpriseRegistry>();
        return services;
    }
}
