using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>The ingestion stage: pulled feeds, the inbox of pushed files, the item ledger and its feedback.</summary>
public static class IngestionServices
{
    public static IServiceCollection AddIngestion(this IServiceCollection services)
    {
        services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.SectionName)
            .Validate(
                o => o.MaxFeedBytes > 0 && o.FetchTimeout > TimeSpan.Zero && o.PullTimeout > TimeSpan.Zero
                    && o.DueTolerance >= TimeSpan.Zero && o.DueTolerance < TimeSpan.FromSeconds(1),
                "Ingestion:MaxFeedBytes, FetchTimeout and PullTimeout must be positive, DueTolerance under one second")
            .ValidateOnStart();

        // Retries with backoff, per-attempt timeouts and a circuit breaker per publisher host,
        // so one failing publisher neither stalls nor trips the others.
        services.AddHttpClient(HttpFetcher.HttpClientName, c =>
            {
                c.DefaultRequestHeaders.UserAgent.ParseAdd("Supervision/1.0 (+source-ingestion)");
                c.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(() =>
                new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None })
            .AddStandardResilienceHandler(o =>
            {
                o.Retry.MaxRetryAttempts = 2;
                o.Retry.Delay = TimeSpan.FromMilliseconds(500);
                o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(20);
                o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
                o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(90);
            })
            .SelectPipelineByAuthority();

        services.AddSingleton<SourceRegistry>();
        services.AddSingleton<RawArchive>();
        services.AddSingleton<Quarantine>();
        services.AddSingleton<HttpFetcher>();
        services.AddSingleton<StoryIndex>();
        services.AddSingleton<ItemIntake>();
        services.AddSingleton<SourceStatisticsReader>();
        services.AddSingleton<SourceHistory>();
        services.AddSingleton<SourceCursorStore>();
        services.AddSingleton<SourceDocumentReader>();
        services.AddSingleton<SourcePullHandler>();
        services.AddSingleton<SourcePullScheduler>();
        services.AddSingleton<PullSourceHandler>();
        services.AddSingleton<InboxHandler>();
        services.AddSingleton<InboxMover>();
        services.AddSingleton<SignalFeedbackHandler>();
        return services;
    }
}
