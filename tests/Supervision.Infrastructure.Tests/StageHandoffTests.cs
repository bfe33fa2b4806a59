using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Messages;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Portraits;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Scoring;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// Scoring, portraits and reviews handing work to each other by their queues, on a real Azurite;
/// each queue is drained by hand into the next stage's handler. The Durable client is the seam.
/// </summary>
public sealed class StageHandoffTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Dishonest = "JP-DISHONEST-2016";

    [Fact]
    public async Task Stages_EveryItemDeliveredTwiceAndRacing_OpenOneReviewPerMemorandum()
    {
        const string uscc = "91330100D3M0000018";
        await using var services = await ServicesAsync($"{uscc},华夏示例食品有限公司,Huaxia Example Foods,华夏示例食品");
        var durable = new RecordingDurableClient();
        var messages = ItemScoringHandlerTests.Headlines.Select((h, i) => ItemScoringHandlerTests.Message($"race-{i}", h)).ToList();

        var scoring = services.GetRequiredService<ItemScoringHandler>();
        await Task.WhenAll(messages.Concat(messages).Select(m => scoring.HandleAsync(m, CancellationToken.None)));
        var portraits = services.GetRequiredService<PortraitReassessmentHandler>();
        var reassessments = await Queue(services, StorageNames.Queues.EnterprisesToReassess).DrainAsync();
        await Task.WhenAll(reassessments.Select(m => portraits.HandleAsync(m, CancellationToken.None)));
        var reviews = services.GetRequiredService<FlaggedEnterpriseHandler>();
        var flags = await Queue(services, StorageNames.Queues.EnterprisesFlagged).DrainAsync();
        await Task.WhenAll(flags.Select(m => reviews.HandleAsync(m, durable.Object, CancellationToken.None)));

        // One case per memorandum: the dishonesty memorandum (grade D) and, with tax findings
        // among the signals, the major-tax-violation one; each started once whatever the racing.
        Assert.True(flags.Count >= 2, $"{flags.Count} flags");
        Assert.Equal([$"{Dishonest}-{uscc}", $"JP-MAJOR-TAX-2026-{uscc}"], durable.Scheduled.Keys.Order(StringComparer.Ordinal));
        Assert.All(durable.Scheduled.Keys, id => Assert.Equal(1, durable.StartsOf(id)));
        var portrait = await services.GetRequiredService<PortraitStore>().GetAsync(uscc, CancellationToken.None);
        Assert.Equal((CreditGrade.D, 6), (portrait!.Grade, portrait.SignalCount)); // no stale portrait from a racing delivery
    }

    [Fact]
    public async Task Stages_ReoffenceAfterAClosedCase_OpensTheSecondOccurrenceOnlyOnFreshEvidence()
    {
        const string uscc = "91310000D3M000002X";
        await using var services = await ServicesAsync($"{uscc},东方样本化工股份有限公司,,");
        var durable = new RecordingDurableClient();
        var closedAt = DateTimeOffset.UtcNow.AddHours(-1);
        var first = CaseOccurrences.CaseIdFor(Dishonest, uscc, 1);
        await services.GetRequiredService<CaseStore>().SaveAsync(ClosedCase(first, uscc, closedAt), CancellationToken.None);
        var signals = services.GetRequiredService<SignalStore>();
        foreach (var i in Enumerable.Range(0, 4))
        {
            // What the first case was opened on: arrived before it closed (or before arrival times were recorded).
            await signals.UpsertAsync(Adverse(uscc, $"old-{i}", receivedAt: i == 0 ? null : closedAt.AddDays(-2)), CancellationToken.None);
        }

        // A redelivered scoring of an old item: the portrait is still D, but on old evidence only.
        await RunAsync(services, durable, new ReassessEnterprise(uscc, "old-0"));
        Assert.Empty(durable.Scheduled);

        // The enterprise re-offends: fresh adverse items, one at a time, as scoring stores them.
        foreach (var i in Enumerable.Range(0, 4))
        {
            await signals.UpsertAsync(Adverse(uscc, $"fresh-{i}", receivedAt: DateTimeOffset.UtcNow), CancellationToken.None);
            await RunAsync(services, durable, new ReassessEnterprise(uscc, $"fresh-{i}"));
        }

        var second = CaseOccurrences.CaseIdFor(Dishonest, uscc, 2);
        Assert.Equal([second], durable.Scheduled.Keys);
        var request = Assert.IsType<ReviewRequest>(durable.Scheduled[second]);
        Assert.Equal(CreditGrade.D, request.Grade);
        Assert.All(request.EvidenceItemIds, id => Assert.StartsWith("fresh-", id, StringComparison.Ordinal));

        // A repeated flag, on all evidence or on the fresh evidence, opens nothing while it is open.
        await SaveOpenAsync(services, request);
        await RunAsync(services, durable, new ReassessEnterprise(uscc, "fresh-3"));
        await RunAsync(services, durable, new ReassessEnterprise(uscc, "fresh-3", EvidenceSince: closedAt, Memorandum: Dishonest));
        Assert.Equal(1, durable.StartsOf(second));
        Assert.Single(durable.Scheduled);
    }

    /// <summary>
    /// Runs one reassessment and hands every message it leads to onward, until the queues between
    /// portraits and reviews are empty.
    /// </summary>
    private static async Task RunAsync(IServiceProvider services, RecordingDurableClient durable, ReassessEnterprise reassess)
    {
        var reassessments = Queue(services, StorageNames.Queues.EnterprisesToReassess);
        var flagged = Queue(services, StorageNames.Queues.EnterprisesFlagged);
        await services.GetRequiredService<StageMessages>().SendAsync(reassess, CancellationToken.None);
        for (var round = 0; round < 5; round++)
        {
            foreach (var message in await reassessments.DrainAsync())
            {
                await services.GetRequiredService<PortraitReassessmentHandler>().HandleAsync(message, CancellationToken.None);
            }

            var flags = await flagged.DrainAsync();
            foreach (var message in flags)
            {
                await services.GetRequiredService<FlaggedEnterpriseHandler>().HandleAsync(message, durable.Object, CancellationToken.None);
            }

            if (flags.Count == 0)
            {
                return;
            }
        }

        Assert.Fail("the portraits and reviews stages kept sending each other messages");
    }

    /// <summary>What the case's first activity does: record it as pending.</summary>
    private static Task SaveOpenAsync(IServiceProvider services, ReviewRequest request) =>
        services.GetRequiredService<CaseStore>().SaveAsync(CaseRecord.Of(request, CaseStatus.Pending, null), CancellationToken.None);

    private static CaseRecord ClosedCase(string caseId, string uscc, DateTimeOffset closedAt) => new(
        caseId, uscc, "东方样本化工股份有限公司", Dishonest, MemorandumKind.Punishment, CreditGrade.D, 30, ["customs", "tax", "procurement"],
        CaseStatus.Closed, closedAt.AddDays(-1), new ReviewOutcome(caseId, [], []), ClosedAt: closedAt);

    private static Signal Adverse(string uscc, string itemId, DateTimeOffset? receivedAt) => new(
        uscc, itemId, $"source-{itemId}", $"东方样本化工 {itemId} 违法排污被查处", 0.99, 1, receivedAt ?? DateTimeOffset.UtcNow.AddDays(-3),
        "raw-" + itemId, "stub", "named", ReceivedAt: receivedAt);

    private static Azure.Storage.Queues.QueueClient Queue(IServiceProvider services, string name) =>
        services.GetRequiredService<SupervisionStorage>().Queue(name);

    private async Task<ServiceProvider> ServicesAsync(string enterprise)
    {
        var services = await TestServices.BuildAsync(
            azurite.ConnectionString, configure: s => s.AddSingleton(ItemScoringHandlerTests.AdverseScorer()));
        await TestServices.ImportEnterprisesAsync(services, enterprise);
        foreach (var queue in new[] { StorageNames.Queues.EnterprisesToReassess, StorageNames.Queues.EnterprisesFlagged })
        {
            await Queue(services, queue).ClearMessagesAsync();
        }

        return services;
    }
}
