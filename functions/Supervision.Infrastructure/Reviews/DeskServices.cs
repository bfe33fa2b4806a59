using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Supervision.Infrastructure.Reviews;

/// <summary>The decision desk and the stores it works on; each API route group that uses it adds it (once is enough).</summary>
public static class DeskServices
{
    public static IServiceCollection AddDecisionDesk(this IServiceCollection services)
    {
        services.TryAddSingleton<ICaseBook, CaseStoreBook>();
        services.TryAddSingleton<IAuditTrail, AuditLogTrail>();
        services.TryAddSingleton<DecisionDesk>();
        services.TryAddSingleton<CaseQuery>();
        return services;
    }
}
