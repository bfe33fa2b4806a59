using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
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

        // Retries with backoff, per-attempt timeouts and a circuit breaker per publisher host,
        // so one failing publisher neither stalls nor trips the others.
        services.AddHttpClient(HttpFetcher.HttpClientName, c =>
            {
                c.DefaultRequestHeaders.UserAgent.ParseAdd("Supervision/1.0 (+source-ingestion)");
                c.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None })
            .AddStandardResilienceHandler(o =>
            {
                o.Retry.MaxRetryAttempts = 2;
                o.Retry.Delay = TimeSpan.FromMilliseconds(500);
                o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(20);
                o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
                o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(90);
            })
            .SelectPipelineByAuthority();
        services.AddHttpClient(AlertDeliveryHandler.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15));

        services.AddSingleton<SourceRegistry>();
        services.AddSingleton<RawArchive>();
        services.AddSingleton<Quarantine>();
        services.AddSingleton<HttpFetcher>();
        services.AddSingleton<StoryIndex>();
        services.AddSingleton<ItemIntake>();
        services.AddSingleton<SourceStatisticsReader>();
        services.AddSingleton<SourcePullHandler>();
        services.AddSingleton<InboxHandler>();
        services.AddSingleton<ReviewFeedback>();
        services.AddSingleton<EnterpriseRegistry>();
        services.AddSingleton<MlNetTextScorer>();
        services.AddSingleton<ISentimentScorer>(sp => sp.GetRequiredService<MlNetTextScorer>());
        services.AddSingleton<ModelRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelRefresher>());
        services.AddSingleton<ModelPublisher>();
        services.AddSingleton<PortraitStore>();
        services.AddSingleton<PortraitUpdater>();
        services.AddSingleton<ItemScoringHandler>();
        services.AddSingleton<ReviewStarter>();
        services.AddSingleton<CaseStore>();
        services.AddSingleton<CaseFileStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AlertOutbox>();
        services.AddSingleton<IAlertChannel, WebhookChannel>();
        services.AddSingleton<IAlertChannel, DingTalkChannel>();
        services.AddSingleton<IAlertChannel, WeComChannel>();
        services.AddSingleton<IAlertChannel, TeamsChannel>();
        services.AddSingleton<IAlertChannel, EmailChannel>();
        services.AddSingleton<AlertDeliveryHandler>();
        services.AddSingleton<MessageFailureLog>();
        services.AddSingleton<CallerResolver>();
        services.AddSingleton<SupervisionApi>();
        services.AddHostedService<PendingReviewsGauge>();
        return services;
    }
}
