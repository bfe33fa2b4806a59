using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Alerts;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Enterprises;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Operations;
using Supervision.Infrastructure.Portraits;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Scoring;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Hosting;

/// <summary>Registers the whole pipeline, stage by stage; both hosts call this, so both run the same code.</summary>
public static class SupervisionServices
{
    public static IServiceCollection AddSupervision(this IServiceCollection services, IConfiguration configuration)
    {
        // Options bind through BindConfiguration, which reads IConfiguration from the container;
        // the hosts register it already, a bare ServiceCollection in a test may not.
        services.TryAddSingleton(configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => SupervisionStorage.FromConfiguration(configuration));
        services.AddSingleton<StageMessages>();
        services.AddSharedTables();
        services.AddSingleton(MemorandumCatalog.LoadEmbedded());
        services.AddEnterprises();
        services.AddSingleton<MessageFailureLog>();

        return services
            .AddIngestion()
            .AddScoring()
            .AddPortraits()
            .AddReviews()
            .AddAlerts()
            .AddSupervisionApi();
    }
}
