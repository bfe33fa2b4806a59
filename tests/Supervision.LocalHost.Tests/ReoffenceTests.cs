using System.Text.Json;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests;

/// <summary>
/// An enterprise whose case under a memorandum has closed is reviewed again under it when it
/// re-offends, and only then: items go through the local host's queues (items to score →
/// enterprises to reassess → enterprises flagged → review), the departments stay silent, so a
/// case closes with no measure once their short window has passed.
/// </summary>
public sealed class ReoffenceTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Dongfang = "91310000D3M000002X";
    private const string First = "JP-DISHONEST-2016-" + Dongfang;
    private const string Second = First + "-2";
    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);
    private static readonly string[] Pipeline =
        [StorageNames.Queues.ItemsToScore, StorageNames.Queues.EnterprisesToReassess, StorageNames.Queues.EnterprisesFlagged];

    [Fact]
    public async Task Reoffence_AfterTheCaseClosed_OpensTheSecondOccurrenceOnFreshEvidenceOnly()
    {
        await using var host = await TestLocalHost.StartAsync(
            azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: false,
            overrides: new Dictionary<string, string?> { ["Reviews:DecisionWindow"] = "00:00:04" });
        var items = host.Storage.Queue(StorageNames.Queues.ItemsToScore);

        // Four adverse items from four outlets: grade D, and the first case opens, then closes.
        var offence = Enumerable.Range(0, 4).Select(i => Item($"offence-{i}")).ToList();
        foreach (var message in offence)
        {
            await items.SendMessageAsync(message);
        }

        await Eventually.GetAsync(() => host.CaseStatusAsync(First), s => s is not null, Minute, "the first case to open");
        await Eventually.GetAsync(() => host.CaseStatusAsync(First), s => s == "Closed", Minute, "the first case to close");

        // An old item delivered again: the portrait is still D, but on evidence from before the case closed.
        await items.SendMessageAsync(offence[0]);
        await QuietAsync(host);
        Assert.Null(await host.CaseStatusAsync(Second));

        // The enterprise re-offends: four fresh adverse items open the second occurrence.
        foreach (var i in Enumerable.Range(0, 4))
        {
            await items.SendMessageAsync(Item($"reoffence-{i}"));
        }

        await Eventually.GetAsync(() => host.CaseStatusAsync(Second), s => s is not null, Minute, "the second case to open");
        var operatorToken = TestLocalHost.RegulatorToken;
        var (status, review) = await host.SendAsync(HttpMethod.Get, $"api/reviews/{Second}", operatorToken);
        Assert.Equal(200, status);
        var evidence = review.GetProperty("caseFile").GetProperty("evidence").EnumerateArray()
            .Select(e => e.GetProperty("itemId").GetString())
            .ToList();
        Assert.Equal(["reoffence-0", "reoffence-1", "reoffence-2", "reoffence-3"], evidence.Order(StringComparer.Ordinal));

        await QuietAsync(host);
        Assert.Null(await host.CaseStatusAsync(First + "-3"));
        foreach (var queue in Pipeline)
        {
            Assert.Empty((await host.Storage.Queue(StorageNames.Queues.PoisonOf(queue)).PeekMessagesAsync(10)).Value);
        }
    }

    /// <summary>Strongly adverse in the source's own tone, naming the enterprise, arriving now.</summary>
    private static string Item(string id) => JsonSerializer.Serialize(
        new ScoreItemMessage(
            new NormalisedItem(
                id, $"outlet-{id}", $"东方样本化工 {id}", string.Empty, null, DateTimeOffset.UtcNow, "raw-" + id, DateTimeOffset.UtcNow)
            {
                Organisations = ["东方样本化工股份有限公司"],
                Tone = -10,
            },
            1.0),
        MessageJson.Options);

    /// <summary>Waits until the pipeline's queues have been empty twice in a row: everything sent has been handled.</summary>
    private static async Task QuietAsync(TestLocalHost host)
    {
        var quiet = 0;
        await Eventually.GetAsync(
            async () =>
            {
                var depth = 0;
                foreach (var queue in Pipeline)
                {
                    depth += (await host.Storage.Queue(queue).GetPropertiesAsync()).Value.ApproximateMessagesCount;
                }

                quiet = depth == 0 ? quiet + 1 : 0;
                return quiet;
            },
            q => q >= 2,
            TimeSpan.FromSeconds(60),
            "the pipeline's queues to drain");
    }
}
