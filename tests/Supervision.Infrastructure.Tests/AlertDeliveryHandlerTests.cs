using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Alerts;
using Supervision.Infrastructure.Alerts;
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
        var alert = JsonSerializer.Serialize(new Alert("case-a:MeasuresApplied", AlertKind.MeasuresApplied, "U1", "case-a", "measures applied", DateTimeOffset.UtcNow), MessageJson.Options);
        var handler = services.GetRequiredService<AlertDeliveryHandler>();

        await handler.HandleAsync(alert, CancellationToken.None);
        await handler.HandleAsync(alert, CancellationToken.None);

        var (request, body) = Assert.Single(webhook.Sent);
        var signature = request.Headers.GetValues(WebhookSignature.HeaderName).Single();
        Assert.True(WebhookSignature.Verify(Encoding.UTF8.GetBytes(Secret), body!, signature, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1)));
        var row = await services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.Alerts).GetEntityAsync<TableEntity>("U1", "case-a:MeasuresApplied");
        Assert.True(row.Value.GetBoolean("Delivered"));
    }

    [Fact]
    public async Task HandleAsync_WebhookFails_ThrowsAndKeepsTheAlertUndelivered()
    {
        var webhook = new RecordingHandler((_, _) => RecordingHandler.Status(HttpStatusCode.BadGateway));
        await using var services = await Services(webhook);
        var alert = JsonSerializer.Serialize(new Alert("case-b:Escalated:tax", AlertKind.Escalated, "U2", "case-b", "overdue", DateTimeOffset.UtcNow), MessageJson.Options);

        await Assert.ThrowsAsync<HttpRequestException>(() => services.GetRequiredService<AlertDeliveryHandler>().HandleAsync(alert, CancellationToken.None));

        var row = await services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.Alerts).GetEntityAsync<TableEntity>("U2", "case-b:Escalated:tax");
        Assert.False(row.Value.GetBoolean("Delivered"));
    }

    private Task<ServiceProvider> Services(RecordingHandler webhook) => TestServices.BuildAsync(
        azurite.ConnectionString,
        new Dictionary<string, string?> { ["Alerts:WebhookUrl"] = "http://webhook.test/alerts", ["Alerts:WebhookSecret"] = Secret },
        s => s.AddHttpClient(AlertDeliveryHandler.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => webhook));
}
