using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Alerts;
using Supervision.Infrastructure.Alerts;
using Supervision.Infrastructure.Operations;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

public sealed class AlertDeliveryHandlerTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Secret = "webhook secret for tests";

    [Fact]
    public async Task HandleAsync_SameAlertTwice_PostsOnceSignedAndRecordsDelivery()
    {
        var webhook = new RecordingHandler((_, _) => RecordingHandler.Status(HttpStatusCode.NoContent));
        await using var services = await Services(webhook);
        var alert = Message(new Alert(
            $"{Guid.NewGuid():N}:MeasuresApplied", AlertKind.MeasuresApplied, "U1", "case-a", "measures applied", DateTimeOffset.UtcNow));
        var handler = services.GetRequiredService<AlertDeliveryHandler>();

        await handler.HandleAsync(alert, CancellationToken.None);
        await handler.HandleAsync(alert, CancellationToken.None);

        var (request, body) = Assert.Single(webhook.Sent);
        var signature = request.Headers.GetValues(WebhookSignature.HeaderName).Single();
        Assert.True(WebhookSignature.Verify(
            Encoding.UTF8.GetBytes(Secret), body!, signature, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task HandleAsync_EveryChannel_GetsItsOwnFormat()
    {
        var robots = new RecordingHandler((request, _) => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(request.RequestUri!.Host == "teams.test" ? "1" : "{\"errcode\":0,\"errmsg\":\"ok\"}"),
        });
        await using var smtp = new SmtpSink();
        await using var services = await Services(robots, new()
        {
            ["Alerts:DingTalkUrl"] = "https://dingtalk.test/robot/send?access_token=t",
            ["Alerts:DingTalkSecret"] = "SEC-test",
            ["Alerts:WeComUrl"] = "https://wecom.test/cgi-bin/webhook/send?key=k",
            ["Alerts:TeamsUrl"] = "https://teams.test/workflows/hook",
            ["Alerts:Email:Host"] = "127.0.0.1",
            ["Alerts:Email:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Alerts:Email:UseTls"] = "false",
            ["Alerts:Email:To"] = "duty@regulator.test",
        });
        var alert = new Alert(
            $"{Guid.NewGuid():N}:EnterpriseFlagged",
            AlertKind.EnterpriseFlagged,
            "91330100D3M0000018",
            "case-c",
            "华夏示例食品 flagged",
            DateTimeOffset.UtcNow);

        await services.GetRequiredService<AlertDeliveryHandler>().HandleAsync(Message(alert), CancellationToken.None);

        var byHost = robots.Sent.ToDictionary(
            s => s.Request.RequestUri!.Host, s => (s.Request.RequestUri!, JsonDocument.Parse(s.Body!).RootElement.Clone()));
        Assert.Equal("markdown", byHost["dingtalk.test"].Item2.GetProperty("msgtype").GetString());
        Assert.Contains("sign=", byHost["dingtalk.test"].Item1.Query, StringComparison.Ordinal);
        Assert.Contains(
            "华夏示例食品",
            byHost["wecom.test"].Item2.GetProperty("markdown").GetProperty("content").GetString(),
            StringComparison.Ordinal);
        Assert.Equal(
            "AdaptiveCard",
            byHost["teams.test"].Item2.GetProperty("attachments")[0].GetProperty("content").GetProperty("type").GetString());
        Assert.True(byHost.ContainsKey("webhook.test"));
        var mail = Assert.Single(smtp.Messages);
        Assert.Equal(["duty@regulator.test"], mail.Recipients);
        Assert.Contains("Subject:", mail.Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_OneChannelFails_RetriesOnlyThatChannelWithBackoff()
    {
        var refuse = true;
        var robots = new RecordingHandler((request, _) => request.RequestUri!.Host == "wecom.test" && refuse
            ? new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("{\"errcode\":93000,\"errmsg\":\"invalid webhook url\"}"),
            }
            : RecordingHandler.Status(HttpStatusCode.OK));
        await using var services = await Services(robots, new() { ["Alerts:WeComUrl"] = "https://wecom.test/send?key=k" });
        var queue = services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.Alerts);
        await queue.ClearMessagesAsync();
        var alert = new Alert($"{Guid.NewGuid():N}:Escalated:tax", AlertKind.Escalated, "U2", "case-b", "overdue", DateTimeOffset.UtcNow);
        var handler = services.GetRequiredService<AlertDeliveryHandler>();

        await handler.HandleAsync(Message(alert), CancellationToken.None);
        refuse = false;
        await handler.HandleAsync(Message(alert with { Attempt = 1 }), CancellationToken.None);

        Assert.Single(robots.Sent, s => s.Request.RequestUri!.Host == "webhook.test");
        Assert.Equal(2, robots.Sent.Count(s => s.Request.RequestUri!.Host == "wecom.test"));
        var row = await Row(services, alert);
        Assert.True(row.GetBoolean("Delivered"));
        Assert.Contains("93000", row.GetString("LastError"), StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(10), AlertDeliveryHandler.Backoff(new AlertOptions(), 1));
        Assert.Equal(TimeSpan.FromSeconds(40), AlertDeliveryHandler.Backoff(new AlertOptions(), 3));
        Assert.Equal(TimeSpan.FromMinutes(10), AlertDeliveryHandler.Backoff(new AlertOptions(), 20));
    }

    [Fact]
    public async Task HandleAsync_LastRoundFails_DeadLettersWithTheReason()
    {
        var webhook = new RecordingHandler((_, _) => RecordingHandler.Status(HttpStatusCode.BadGateway));
        await using var services = await Services(webhook, new() { ["Alerts:MaxAttempts"] = "3" });
        var poison = services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.PoisonOf(StorageNames.Queues.Alerts));
        await poison.CreateIfNotExistsAsync();
        await poison.ClearMessagesAsync();
        var alert = new Alert(
            $"{Guid.NewGuid():N}:MeasuresLifted", AlertKind.MeasuresLifted, "U3", "case-d", "lifted", DateTimeOffset.UtcNow)
        {
            Attempt = 2,
        };

        await services.GetRequiredService<AlertDeliveryHandler>().HandleAsync(Message(alert), CancellationToken.None);

        var row = await Row(services, alert);
        Assert.True(row.GetBoolean("DeadLettered"));
        Assert.False(row.GetBoolean("Delivered"));
        Assert.Single((await poison.ReceiveMessagesAsync(10)).Value);
        var failure = await services.GetRequiredService<MessageFailureLog>()
            .FindAsync(StorageNames.Queues.Alerts, alert.AlertId, CancellationToken.None);
        Assert.Contains("502", failure!.GetString("Reason"), StringComparison.Ordinal);
    }

    private static string Message(Alert alert) => JsonSerializer.Serialize(alert, MessageJson.Options);

    private static async Task<TableEntity> Row(IServiceProvider services, Alert alert) =>
        (await services.GetRequiredService<SupervisionStorage>()
            .Table(StorageNames.Tables.Alerts)
            .GetEntityAsync<TableEntity>(alert.Uscc, alert.AlertId)).Value;

    private Task<ServiceProvider> Services(RecordingHandler http, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Alerts:WebhookUrl"] = "http://webhook.test/alerts",
            ["Alerts:WebhookSecret"] = Secret,
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return TestServices.BuildAsync(
            azurite.ConnectionString,
            settings,
            s => s.AddHttpClient(AlertDeliveryHandler.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => http));
    }
}
