using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Domain.Alerts;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Alerts;

/// <summary>
/// Delivers one alert: records it in the alerts table and POSTs it, signed, to the webhook. An
/// alert already delivered is skipped, so duplicates reach regulators once; a failed POST
/// throws, and the queue retries it until it lands in the poison queue.
/// </summary>
public sealed class AlertDeliveryHandler(
    SupervisionStorage storage,
    IHttpClientFactory httpClients,
    IOptions<AlertOptions> options,
    TimeProvider time,
    ILogger<AlertDeliveryHandler> logger)
{
    public const string HttpClientName = "alerts";

    public async Task HandleAsync(string message, CancellationToken cancellationToken)
    {
        var alert = JsonSerializer.Deserialize<Alert>(message, MessageJson.Options)
            ?? throw new InvalidDataException("the alert message is empty");
        using var span = SupervisionTelemetry.StartContinuing("DeliverAlert", alert.TraceParent);
        span?.SetTag("supervision.alert", alert.AlertId);
        var table = storage.Table(StorageNames.Tables.Alerts);
        var rowKey = TableExtensions.SafeKey(alert.AlertId);
        var existing = await table.FindAsync<TableEntity>(alert.Uscc, rowKey, cancellationToken);
        if (existing is not null && existing.GetBoolean("Delivered") == true)
        {
            logger.LogInformation("Alert {AlertId} was delivered before; skipping the duplicate", alert.AlertId);
            return;
        }

        var record = new TableEntity(alert.Uscc, rowKey)
        {
            ["Kind"] = alert.Kind.ToString(),
            ["CaseId"] = alert.CaseId,
            ["Text"] = alert.Text,
            ["CreatedAt"] = alert.CreatedAt,
            ["Delivered"] = false,
        };
        await table.UpsertEntityAsync(record, TableUpdateMode.Replace, cancellationToken);

        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.WebhookUrl))
        {
            if (string.IsNullOrEmpty(settings.WebhookSecret))
            {
                throw new InvalidOperationException("Alerts:WebhookUrl is set but Alerts:WebhookSecret is not; refusing to send unsigned alerts");
            }

            var body = JsonSerializer.Serialize(alert, MessageJson.Options);
            using var request = new HttpRequestMessage(HttpMethod.Post, settings.WebhookUrl)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Sign(Encoding.UTF8.GetBytes(settings.WebhookSecret), body, time.GetUtcNow()));
            request.Headers.Add("X-Supervision-Alert-Id", alert.AlertId);
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
        }

        record["Delivered"] = true;
        record["DeliveredAt"] = time.GetUtcNow();
        await table.UpsertEntityAsync(record, TableUpdateMode.Replace, cancellationToken);
        SupervisionTelemetry.AlertsSent.Add(1, new KeyValuePair<string, object?>("kind", alert.Kind.ToString()));
        logger.LogInformation("Alert {Kind} {AlertId}: {Text}", alert.Kind, alert.AlertId, alert.Text);
    }
}
