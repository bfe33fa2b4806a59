using System.Text;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Supervision.Domain.Alerts;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Alerts;

/// <summary>One way of telling regulators: a signed webhook, a chat robot, e-mail.</summary>
public interface IAlertChannel
{
    /// <summary>The channel's name, as recorded per alert ("webhook", "dingtalk" …).</summary>
    string Name { get; }

    bool IsConfigured { get; }

    Task SendAsync(Alert alert, CancellationToken cancellationToken);
}

/// <summary>The HMAC-signed, timestamped webhook (X-Supervision-Signature: t=…,v1=…).</summary>
public sealed class WebhookChannel(IHttpClientFactory httpClients, IOptions<AlertOptions> options, TimeProvider time) : IAlertChannel
{
    public string Name => "webhook";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.WebhookUrl);

    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.WebhookSecret))
        {
            throw new InvalidOperationException(
                "Alerts:WebhookUrl is set but Alerts:WebhookSecret is not; refusing to send unsigned alerts");
        }

        var body = JsonSerializer.Serialize(alert with { Attempt = 0 }, MessageJson.Options);
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.WebhookUrl)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(
            WebhookSignature.HeaderName,
            WebhookSignature.Sign(Encoding.UTF8.GetBytes(settings.WebhookSecret), body, time.GetUtcNow()));
        request.Headers.Add("X-Supervision-Alert-Id", alert.AlertId);
        using var response = await httpClients.CreateClient(AlertDeliveryHandler.HttpClientName).SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>
/// Chat robots answer HTTP 200 with an error code in the body when they refuse a message
/// (DingTalk and WeCom: "errcode" ≠ 0); that counts as a failure here, not a delivery.
/// </summary>
public abstract class RobotChannel(IHttpClientFactory httpClients) : IAlertChannel
{
    public abstract string Name { get; }

    public abstract bool IsConfigured { get; }

    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        var (url, body) = Compose(alert);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await httpClients.CreateClient(AlertDeliveryHandler.HttpClientName).PostAsync(url, content, cancellationToken);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadAsStringAsync(cancellationToken);
        if (answer.TrimStart().StartsWith('{'))
        {
            using var json = JsonDocument.Parse(answer);
            if (json.RootElement.TryGetProperty("errcode", out var code) && code.ValueKind == JsonValueKind.Number && code.GetInt32() != 0)
            {
                throw new HttpRequestException($"{Name} refused the message: {answer}");
            }
        }
    }

    protected abstract (Uri Url, string Body) Compose(Alert alert);
}

public sealed class DingTalkChannel(IHttpClientFactory httpClients, IOptions<AlertOptions> options, TimeProvider time)
    : RobotChannel(httpClients)
{
    public override string Name => "dingtalk";

    public override bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.DingTalkUrl);

    protected override (Uri Url, string Body) Compose(Alert alert)
    {
        var url = options.Value.DingTalkUrl!;
        if (!string.IsNullOrEmpty(options.Value.DingTalkSecret))
        {
            url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?")
                + RobotMessages.DingTalkSignatureQuery(options.Value.DingTalkSecret, time.GetUtcNow());
        }

        return (new Uri(url), RobotMessages.DingTalk(alert));
    }
}

public sealed class WeComChannel(IHttpClientFactory httpClients, IOptions<AlertOptions> options) : RobotChannel(httpClients)
{
    public override string Name => "wecom";

    public override bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.WeComUrl);

    protected override (Uri Url, string Body) Compose(Alert alert) => (new Uri(options.Value.WeComUrl!), RobotMessages.WeCom(alert));
}

public sealed class TeamsChannel(IHttpClientFactory httpClients, IOptions<AlertOptions> options) : RobotChannel(httpClients)
{
    public override string Name => "teams";

    public override bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.TeamsUrl);

    protected override (Uri Url, string Body) Compose(Alert alert) => (new Uri(options.Value.TeamsUrl!), RobotMessages.Teams(alert));
}

/// <summary>E-mail over SMTP with MailKit; the Message-Id derives from the alert id so mail servers can drop repeats too.</summary>
public sealed class EmailChannel(IOptions<AlertOptions> options) : IAlertChannel
{
    public string Name => "email";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.Value.Email.Host) && !string.IsNullOrWhiteSpace(options.Value.Email.To);

    public async Task SendAsync(Alert alert, CancellationToken cancellationToken)
    {
        var settings = options.Value.Email;
        var (subject, body) = RobotMessages.Email(alert);
        using var message = new MimeMessage
        {
            Subject = subject,
            Body = new TextPart("plain") { Text = body },
            MessageId = $"{Domain.Ingestion.ContentHash.Sha256Hex(alert.AlertId)[..32]}@supervision",
        };
        message.From.Add(MailboxAddress.Parse(settings.From));
        foreach (var to in settings.To!.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        using var client = new SmtpClient { Timeout = 30_000 };
        await client.ConnectAsync(
            settings.Host!,
            settings.Port,
            settings.UseTls ? SecureSocketOptions.StartTlsWhenAvailable : SecureSocketOptions.None,
            cancellationToken);
        if (!string.IsNullOrEmpty(settings.User))
        {
            await client.AuthenticateAsync(settings.User, settings.Password ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
