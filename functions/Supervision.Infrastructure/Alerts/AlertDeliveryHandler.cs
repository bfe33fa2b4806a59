using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Domain.Alerts;
using Supervision.Infrastructure.Operations;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Alerts;

/// <summary>
/// Delivers one alert to every configured channel and records it in the alerts table. Each
/// channel's delivery is recorded on its own, so a retry sends only to the channels that failed
/// and a duplicate message reaches no one twice. Failures are retried with exponential backoff
/// (a new message, delayed); after <see cref="AlertOptions.MaxAttempts"/> rounds the alert is
/// dead-lettered to alerts-poison with the reason, where operators see it.
/// </summary>
public sealed class AlertDeliveryHandler(
    SupervisionStorage storage,
    IEnumerable<IAlertChannel> channels,
    MessageFailureLog failures,
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
        var row = await table.FindAsync<TableEntity>(alert.Uscc, rowKey, cancellationToken);
        if (row is not null && (row.GetBoolean("Delivered") == true || row.GetBoolean("DeadLettered") == true))
        {
            logger.LogInformation("Alert {AlertId} was settled before; skipping the duplicate", alert.AlertId);
            return;
        }

        row ??= new TableEntity(alert.Uscc, rowKey);
        row["Kind"] = alert.Kind.ToString();
        row["CaseId"] = alert.CaseId;
        row["Text"] = alert.Text;
        row["CreatedAt"] = alert.CreatedAt;
        row["Delivered"] = false;
        await table.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);

        var failed = new List<string>();
        foreach (var channel in channels.Where(c => c.IsConfigured))
        {
            if (row.GetBoolean($"Sent_{channel.Name}") == true)
            {
                continue;
            }

            try
            {
                await channel.SendAsync(alert, cancellationToken);
                await table.UpsertEntityAsync(
                    new TableEntity(alert.Uscc, rowKey) { [$"Sent_{channel.Name}"] = true },
                    TableUpdateMode.Merge,
                    cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Alert {AlertId} could not be sent by {Channel}", alert.AlertId, channel.Name);
                failed.Add($"{channel.Name}: {e.Message}");
            }
        }

        if (failed.Count == 0)
        {
            await table.UpsertEntityAsync(
                new TableEntity(alert.Uscc, rowKey) { ["Delivered"] = true, ["DeliveredAt"] = time.GetUtcNow() },
                TableUpdateMode.Merge,
                cancellationToken);
            SupervisionTelemetry.AlertsSent.Add(1, new KeyValuePair<string, object?>("kind", alert.Kind.ToString()));
            logger.LogInformation("Alert {Kind} {AlertId}: {Text}", alert.Kind, alert.AlertId, alert.Text);
            return;
        }

        await RetryOrDeadLetterAsync(alert, string.Join("; ", failed), cancellationToken);
    }

    /// <summary>The delay before retry round <paramref name="attempt"/> (1-based): doubling from the first, capped.</summary>
    public static TimeSpan Backoff(AlertOptions settings, int attempt) =>
        TimeSpan.FromTicks(Math.Min(settings.MaxBackoff.Ticks, settings.FirstBackoff.Ticks * (1L << Math.Min(attempt - 1, 30))));

    private async Task RetryOrDeadLetterAsync(Alert alert, string reason, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var attempt = alert.Attempt + 1;
        var table = storage.Table(StorageNames.Tables.Alerts);
        var rowKey = TableExtensions.SafeKey(alert.AlertId);
        var retry = JsonSerializer.Serialize(alert with { Attempt = attempt }, MessageJson.Options);
        if (attempt < settings.MaxAttempts)
        {
            var delay = Backoff(settings, attempt);
            await storage.Queue(StorageNames.Queues.Alerts)
                .SendMessageAsync(retry, visibilityTimeout: delay, cancellationToken: cancellationToken);
            await table.UpsertEntityAsync(
                new TableEntity(alert.Uscc, rowKey)
                {
                    ["Attempts"] = attempt,
                    ["LastError"] = reason,
                    ["NextAttemptAt"] = time.GetUtcNow() + delay,
                },
                TableUpdateMode.Merge,
                cancellationToken);
            logger.LogWarning(
                "Alert {AlertId} failed round {Attempt}; retrying in {Delay}: {Reason}", alert.AlertId, attempt, delay, reason);
            return;
        }

        await storage.Queue(StorageNames.Queues.PoisonOf(StorageNames.Queues.Alerts)).SendMessageAsync(retry, cancellationToken);
        await failures.RecordAsync(
            StorageNames.Queues.Alerts,
            alert.AlertId,
            attempt,
            new InvalidOperationException($"undeliverable after {attempt} rounds: {reason}"),
            poisoned: true,
            cancellationToken,
            retry);
        await table.UpsertEntityAsync(
            new TableEntity(alert.Uscc, rowKey) { ["Attempts"] = attempt, ["LastError"] = reason, ["DeadLettered"] = true },
            TableUpdateMode.Merge,
            cancellationToken);
        SupervisionTelemetry.MessagesPoisoned.Add(1, new KeyValuePair<string, object?>("queue", StorageNames.Queues.Alerts));
        logger.LogError("Alert {AlertId} dead-lettered after {Attempt} rounds: {Reason}", alert.AlertId, attempt, reason);
    }
}
