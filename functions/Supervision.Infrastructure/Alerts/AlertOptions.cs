namespace Supervision.Infrastructure.Alerts;

/// <summary>
/// Settings of alert delivery (section "Alerts"). Each channel is on when its address is set.
/// Secrets come from Key Vault references in Azure.
/// </summary>
public sealed class AlertOptions
{
    public const string SectionName = "Alerts";

    /// <summary>Where alerts are POSTed, HMAC-signed. Empty: alerts are only recorded.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The shared secret for the webhook signature.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>DingTalk group robot webhook (https://oapi.dingtalk.com/robot/send?access_token=…).</summary>
    public string? DingTalkUrl { get; set; }

    /// <summary>The robot's signing secret ("加签"), if it has one.</summary>
    public string? DingTalkSecret { get; set; }

    /// <summary>WeCom group robot webhook (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…).</summary>
    public string? WeComUrl { get; set; }

    /// <summary>Microsoft Teams incoming webhook (workflow) URL.</summary>
    public string? TeamsUrl { get; set; }

    public SmtpOptions Email { get; set; } = new();

    /// <summary>Delivery rounds before an alert is dead-lettered to alerts-poison with its reason.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The first retry's delay; each later one doubles it, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>E-mail over SMTP (MailKit). On when Host and To are set.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>StartTLS when the server offers it (port 587); set false only for a local relay.</summary>
    public bool UseTls { get; set; } = true;

    public string? User { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "supervision@localhost";

    /// <summary>Recipients, separated by ';'.</summary>
    public string? To { get; set; }
}
