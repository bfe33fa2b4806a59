using Microsoft.Extensions.DependencyInjection;

namespace Supervision.Infrastructure.Storage;

/// <summary>The owners of the tables several stages share: each builds its table's keys and queries, and no one else does.</summary>
public static class StorageServices
{
    public static IServiceCollection AddSharedTables(this IServiceCollection services)
    {
        services.AddSingleton<ItemLedger>();
        services.AddSingleton<SignalStore>();
        services.AddSingleton<CreditRecordStore>();
        services.AddSingleton<SourceTable>();
        services.AddSingleton<StoryTable>();
        services.AddSingleton<ScoringOutbox>();
        services.AddOptions<ScoringOutboxOptions>().BindConfiguration("Scoring");
        return services;
    }
}
