using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Domain.Scoring;
using Supervision.Infrastructure.Alerts;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Enterprises;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Operations;
using Supervision.Infrastructure.Portraits;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Scoring;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Hosting;

/// <summary>Registers the whole pipeline; both hosts call this, so both run the same code.</summary>
public static class SupervisionServices
{
    public static IServiceCollection AddSupervision(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => SupervisionStorage.FromConfiguration(configuration));

        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection(IngestionOptions.SectionName))
            .Validate(o => o.MaxFeedBytes > 0 && o.FetchTimeout > TimeSpan.Zero, "Ingestion:MaxFeedBytes and Ingestion:FetchTimeout must be positive").ValidateOnStart();
        services.AddOptions<ScoringOptions>().Bind(configuration.GetSection(ScoringOptions.SectionName));
        services.AddOptions<ReviewOptions>().Bind(configuration.GetSection(ReviewOptions.SectionName))
            .Validate(o => o.DecisionWindow > TimeSpan.Zero, "Reviews:DecisionWindow must be positive").ValidateOnStart();
        services.AddOptions<AlertOptions>().Bind(configuration.GetSection(AlertOptions.SectionName));
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.SectionName));

        var rules = new PortraitRules();
        configuration.GetSection(PortraitRules.SectionName).Bind(rules);
        services.AddSingleton(rules);
        services.AddSingleton<PortraitCalculator>();
        services.AddSingleton(MemorandumCatalog.LoadEmbedded());

        services.AddHttpClient(FeedPullHandler.HttpClientName, c => c.DefaultRequestHeaders.UserAgent.ParseAdd("Supervision/1.0 (+feed-ingestion)"));
        services.AddHttpClient(AlertDeliveryHandler.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15));

        services.AddSingleton<SourceCatalog>();
        services.AddSingleton<RawArchive>();
        services.AddSingleton<Quarantine>();
        services.AddSingleton<FeedPullHandler>();
        services.AddSingleton<EnterpriseRegistry>();
        services.AddSingleton<ISentimentScorer, MlNetSentimentScorer>();
        services.AddSingleton<PortraitStore>();
        services.AddSingleton<ItemScoringHandler>();
        services.AddSingleton<ReviewStarter>();
        services.AddSingleton<CaseStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AlertOutbox>();
        services.AddSingleton<AlertDeliveryHandler>();
        services.AddSingleton<MessageFailureLog>();
        services.AddSingleton<CallerResolver>();
        services.AddSingleton<SupervisionApi>();
        services.AddHostedService<PendingReviewsGauge>();
        return services;
    }
}
