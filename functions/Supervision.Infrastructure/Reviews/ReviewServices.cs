using Microsoft.Extensions.DependencyInjection;

namespace Supervision.Infrastructure.Reviews;

/// <summary>The reviews stage: opens cases from "enterprise flagged", runs them, and keeps their audit.</summary>
public static class ReviewServices
{
    public static IServiceCollection AddReviews(this IServiceCollection services)
    {
        services.AddOptions<ReviewOptions>().BindConfiguration(ReviewOptions.SectionName)
            .Validate(o => o.DecisionWindow > TimeSpan.Zero, "Reviews:DecisionWindow must be positive")
            .ValidateOnStart();
        services.AddSingleton<ReviewStarter>();
        services.AddSingleton<FlaggedEnterpriseHandler>();
        services.AddSingleton<CaseStore>();
        services.AddSingleton<CaseFileStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<CaseLayoutMigration>();
        services.AddHostedService(sp => sp.GetRequiredService<CaseLayoutMigration>());
        services.AddHostedService<PendingReviewsGauge>();
        return services;
    }
}
