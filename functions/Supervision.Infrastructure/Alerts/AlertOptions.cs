namespace Supervision.Infrastructure.Alerts;

/// <summary>Settings of alert delivery (section "Alerts"). The secret comes from Key Vault in Azure.</summary>
public sealed class AlertOptions
{
    public const string SectionName = "Alerts";

    /// <summary>Where alerts are POSTed, HMAC-signed. Empty: alerts are only recorded.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The shared secret for the webhook signature.</summary>
    public string? WebhookSecret { get; set; }
}
