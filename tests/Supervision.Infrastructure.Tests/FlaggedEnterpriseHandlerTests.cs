using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Enterprises;
using Supervision.Domain.Messages;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>How the reviews stage takes "enterprise flagged", on a real Azurite; the Durable client is the seam.</summary>
public sealed class FlaggedEnterpriseHandlerTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Dishonest = "JP-DISHONEST-2016";

    [Fact]
    public async Task HandleAsync_NoCaseYet_OpensTheFirstOccurrenceOnTheMessagesPortrait_AndARedeliveryOpensNothing()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var uscc = await EnterpriseAsync(services);
        var durable = new RecordingDurableClient();
        var message = Flag(uscc, Portrait(uscc, 12.5));

        var first = await Handler(services).HandleAsync(message, durable.Object, default);
        var again = await Handler(services).HandleAsync(message, durable.Object, default);

        var caseId = $"{Dishonest}-{uscc}";
        Assert.Equal((FlagAction.Open, 1), (first.Action, first.Occurrence));
        Assert.Equal(FlagAction.Ignore, again.Action);
        Assert.Equal(1, durable.StartsOf(caseId));
        var request = Assert.IsType<ReviewRequest>(durable.Scheduled[caseId]);
        Assert.Equal((CreditGrade.D, 12.5), (request.Grade, request.Score));
        Assert.Equal(["signal-1"], request.EvidenceItemIds);
        var caseFile = await services.GetRequiredService<CaseFileStore>().ReadAsync(request.CaseFile!, default);
        Assert.Equal(12.5, caseFile!.Value.GetProperty("portrait").GetProperty("score").GetDouble());
        Assert.Equal("raw/sha256/ab/abcdef", caseFile.Value.GetProperty("evidence")[0].GetProperty("rawBlob").GetString());
    }

    [Fact]
    public async Task HandleAsync_CaseClaimedButNotYetStarted_OpensNothing()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var uscc = await EnterpriseAsync(services);
        var durable = new RecordingDurableClient();
        await services.GetRequiredService<CaseStore>().ClaimAsync($"{Dishonest}-{uscc}", DateTimeOffset.UtcNow, default);

        var decision = await Handler(services).HandleAsync(Flag(uscc, Portrait(uscc, 10)), durable.Object, default);

        Assert.Equal(FlagAction.Ignore, decision.Action);
        Assert.Empty(durable.Scheduled);
    }

    [Fact]
    public async Task HandleAsync_OldClosedCaseAndAFlagOnAllEvidence_AsksThePortraitsStageForEvidenceSinceItsLastMeasureEnded()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var uscc = await EnterpriseAsync(services);
        var durable = new RecordingDurableClient();
        var ended = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        await services.GetRequiredService<CaseStore>().SaveAsync(Closed(uscc, 1, closedAt: null, lastMeasureEnd: ended), default);
        var queue = services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.EnterprisesToReassess);
        await queue.ClearMessagesAsync();

        var decision = await Handler(services).HandleAsync(Flag(uscc, Portrait(uscc, 10)), durable.Object, default);

        Assert.Equal(FlagAction.Reassess, decision.Action);
        Assert.Empty(durable.Scheduled);
        var asked = StageMessages.Read<ReassessEnterprise>(Assert.Single(await queue.DrainAsync()));
        Assert.Equal((uscc, "item-9", ended, Dishonest), (asked.Uscc, asked.CausedBy, asked.EvidenceSince, asked.Memorandum));
    }

    [Fact]
    public async Task HandleAsync_TwoClosedCasesAndAFlagOnEvidenceSinceTheLastClosed_OpensTheThirdOccurrence()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var uscc = await EnterpriseAsync(services);
        var durable = new RecordingDurableClient();
        var closedAt = DateTimeOffset.UtcNow.AddDays(-1);
        await services.GetRequiredService<CaseStore>().SaveAsync(Closed(uscc, 1, closedAt.AddDays(-100), null), default);
        await services.GetRequiredService<CaseStore>().SaveAsync(Closed(uscc, 2, closedAt, null), default);

        var decision = await Handler(services).HandleAsync(Flag(uscc, Portrait(uscc, 10), closedAt), durable.Object, default);

        Assert.Equal((FlagAction.Open, 3), (decision.Action, decision.Occurrence));
        Assert.Equal([$"{Dishonest}-{uscc}-3"], durable.Scheduled.Keys);
    }

    [Fact]
    public async Task HandleAsync_UnregisteredEnterpriseOrAnotherEnterprisesPortraitOrUnknownMemorandum_IsRefusedWithItsReason()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var uscc = await EnterpriseAsync(services);
        var stranger = Uscc.WithCheckCharacter("91440300MA5F00001");
        var durable = new RecordingDurableClient();
        var cases = new (string Message, string Reason)[]
        {
            (Flag(stranger, Portrait(stranger, 10)), "not a registered enterprise"),
            (Flag(uscc, Portrait(stranger, 10)), "carries the portrait of"),
            (Flag(uscc, Portrait(uscc, 10)).Replace(Dishonest, "JP-NONE", StringComparison.Ordinal), "JP-NONE"),
            ("{ not json", "not valid JSON"),
            ("""{"uscc":"x","memorandumId":"JP-DISHONEST-2016","causedBy":"c"}""", "no portrait"),
        };

        foreach (var (message, reason) in cases)
        {
            var refused = await Assert.ThrowsAsync<InvalidDataException>(
                () => Handler(services).HandleAsync(message, durable.Object, default));
            Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        }

        Assert.Empty(durable.Scheduled);
    }

    private static FlaggedEnterpriseHandler Handler(IServiceProvider services) => services.GetRequiredService<FlaggedEnterpriseHandler>();

    /// <summary>A freshly minted, registered enterprise, so that no other test's cases are its.</summary>
    private static async Task<string> EnterpriseAsync(IServiceProvider services)
    {
        var body = "91330100D3M" + Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        var uscc = Uscc.WithCheckCharacter(body);
        await TestServices.ImportEnterprisesAsync(services, $"{uscc},样本企业{body[^6..]}有限公司,,");
        return uscc;
    }

    private static CreditPortrait Portrait(string uscc, double score) => new(
        uscc, score, CreditGrade.D, 5.8, 1, [new PortraitContribution("signal-1", "source-1", "abcdef", 5.8, "违法排污被查处")],
        DateTimeOffset.UtcNow);

    private static string Flag(string uscc, CreditPortrait portrait, DateTimeOffset? evidenceSince = null) => JsonSerializer.Serialize(
        new EnterpriseFlagged(uscc, "样本企业", Dishonest, portrait, "item-9", null, evidenceSince), MessageJson.Options);

    private static CaseRecord Closed(string uscc, int occurrence, DateTimeOffset? closedAt, DateTimeOffset? lastMeasureEnd)
    {
        var caseId = CaseOccurrences.CaseIdFor(Dishonest, uscc, occurrence);
        var openedAt = (closedAt ?? lastMeasureEnd ?? DateTimeOffset.UtcNow).AddDays(-400);
        List<AppliedMeasure> measures = lastMeasureEnd is { } end
            ? [new(uscc, caseId, "tax", "TAX-GRADE-LOWERED", "d", "b", openedAt, end)]
            : [];
        return new CaseRecord(
            caseId, uscc, "样本企业", Dishonest, MemorandumKind.Punishment, CreditGrade.D, 10, ["tax"], CaseStatus.Closed, openedAt,
            new ReviewOutcome(caseId, [], measures), ClosedAt: closedAt);
    }
}
