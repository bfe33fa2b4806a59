using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Supervision.Domain.Portraits;

namespace Supervision.Infrastructure.Portraits;

/// <summary>The portraits stage: recomputes portraits on "reassess enterprise X" and publishes "enterprise flagged".</summary>
public static class PortraitServices
{
    public static IServiceCollection AddPortraits(this IServiceCollection services)
    {
        services.AddOptions<PortraitRules>().BindConfiguration(PortraitRules.SectionName)
            .Validate(
                r => r.GradeAMinimum > r.GradeBMinimum && r.GradeBMinimum > r.GradeCMinimum,
                "Portraits: grade minimums must fall from A to C")
            .Validate(r => r.MaxReassessInterval > TimeSpan.Zero, "Portraits: MaxReassessInterval must be positive")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<PortraitRules>>().Value);
        services.AddSingleton<PortraitCalculator>();
        services.AddSingleton<PortraitDueIndex>();
        services.AddSingleton<PortraitStore>();
        services.AddSingleton<PortraitEvidence>();
        services.AddSingleton<PortraitReassessmentHandler>();
        services.AddSingleton<DuePortraitsHandler>();
        return services;
    }
}
