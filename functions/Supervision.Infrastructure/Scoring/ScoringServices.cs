using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Scoring;

namespace Supervision.Infrastructure.Scoring;

/// <summary>The scoring stage: the ML.NET models, their refresh from blob storage, and the items-to-score handler.</summary>
public static class ScoringServices
{
    public static IServiceCollection AddScoring(this IServiceCollection services)
    {
        services.AddOptions<ScoringOptions>().BindConfiguration(ScoringOptions.SectionName)
            .Validate(o => !string.IsNullOrWhiteSpace(o.ModelDirectory), "Scoring:ModelDirectory must name a directory")
            .ValidateOnStart();
        services.AddSingleton<MlNetTextScorer>();
        services.AddSingleton<ISentimentScorer>(sp => sp.GetRequiredService<MlNetTextScorer>());
        services.AddSingleton<ModelRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelRefresher>());
        services.AddSingleton<ModelPublisher>();
        services.AddSingleton<UnlinkedMentionStore>();
        services.AddSingleton<ItemScoringHandler>();
        services.AddSingleton<UndeliveredItemsSweep>();
        return services;
    }
}
