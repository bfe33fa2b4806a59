using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Messages;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>A closed review's feedback reaches the item ledger, where the source's record is counted.</summary>
public sealed class SignalFeedbackHandlerTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task HandleAsync_ConfirmedEvidence_MarksEachItemAndCountsOnceWhenRedelivered()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var source = $"feedback-{Guid.NewGuid():N}"[..20];
        var feedback = new SignalFeedback("JP-DISHONEST-2016-91330100D3M0000018-2", true, [new(source, "item-1"), new(source, "item-2")]);
        var message = JsonSerializer.Serialize(feedback, MessageJson.Options);
        var handler = services.GetRequiredService<SignalFeedbackHandler>();

        await handler.HandleAsync(message, default);
        await handler.HandleAsync(message, default);

        var statistics = await services.GetRequiredService<SourceStatisticsReader>().MeasureAsync(source, default);
        Assert.Equal((2, 0), (statistics.Confirmed, statistics.NotConfirmed));
        var rows = await services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.SeenItems).InPartitionAsync(source);
        // Rows starting with '~' are the source's counters, beside its items.
        Assert.All(
            rows.Where(r => !r.RowKey.StartsWith('~')),
            r => Assert.Equal("JP-DISHONEST-2016-91330100D3M0000018-2", r.GetString("ConfirmedByCase")));
    }

    [Theory]
    [InlineData("""{"caseId":"","confirmed":true,"signals":[]}""", "names no case")]
    [InlineData("""{"caseId":"c","confirmed":true}""", "no signals")]
    [InlineData("""{"caseId":"c","confirmed":false,"signals":[{"sourceId":"s","itemId":""}]}""", "no source or item id")]
    [InlineData("[1,2]", "not valid JSON")]
    public async Task HandleAsync_MalformedMessage_IsRefusedWithItsReason(string message, string reason)
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);

        var handler = services.GetRequiredService<SignalFeedbackHandler>();

        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => handler.HandleAsync(message, default));

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }
}
