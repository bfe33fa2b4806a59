using Microsoft.Extensions.DependencyInjection;

namespace Supervision.Infrastructure.Alerts;

/// <summary>The alerts stage: delivers alert messages on every configured channel.</summary>
public static class AlertServices
{
    public static IServiceCollection AddAlerts(this IServiceCollection services)
    {
        services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.SectionName)
            .Validate(o => o.MaxAttempts > 0, "Alerts:MaxAttempts must be positive")
            .ValidateOnStart();
        services.AddHttpClient(AlertDeliveryHandler.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(15));
        services.AddSingleton<IAlertChannel, WebhookChannel>();
        services.AddSingleton<IAlertChannel, DingTalkChannel>();
        services.AddSingleton<IAlertChannel, WeComChannel>();
        services.AddSingleton<IAlertChannel, TeamsChannel>();
        services.AddSingleton<IAlertChannel, EmailChannel>();
        services.AddSingleton<AlertDeliveryHandler>();
        return services;
    }
}
