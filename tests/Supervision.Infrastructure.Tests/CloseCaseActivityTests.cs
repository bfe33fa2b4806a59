using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Supervision.Domain.Messages;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// Closing a case records when it closed (once) and tells the ingestion stage, by a message on its
/// queue, how the signals in the case file fared.
/// </summary>
public sealed class CloseCaseActivityTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset OpenedAt = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset FirstClose = new(2027, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Run_MeasuresImposed_SendsOneConfirmingFeedbackWithTheCaseFilesEvidence_AndARerunKeepsTheFirstClosedAt()
    {
        var clock = new FakeTimeProvider(FirstClose);
        await using var services = await TestServices.BuildAsync(
            azurite.ConnectionString, configure: s => s.AddSingleton<TimeProvider>(clock));
        var caseId = $"JP-DISHONEST-2016-{Guid.NewGuid():N}";
        var evidence = new[] { Evidence("customs-feed", "item-1"), Evidence("news-feed", "item-2"), Evidence("news-feed", "item-3") };
        var (caseFile, sha256) = await services.GetRequiredService<CaseFileStore>()
            .WriteAsync(CaseFileOf(caseId, evidence), CancellationToken.None);
        var request = Request(caseId) with { CaseFile = caseFile, CaseFileSha256 = sha256 };
        var measures = MeasurePlanner.Plan(request, Approved(request), OpenedAt);
        var input = new CloseCaseInput(request, new ReviewOutcome(caseId, Approved(request), measures));

        var activity = ActivatorUtilities.CreateInstance<CloseCaseActivity>(services);

        await activity.RunAsync(Mock.Of<TaskActivityContext>(), input);

        var closed = await services.GetRequiredService<CaseStore>().GetAsync(caseId, CancellationToken.None);
        Assert.Equal((CaseStatus.Closed, FirstClose), (closed!.Status, closed.ClosedAt));
        var feedback = Assert.Single(await FeedbackAsync(services, caseId));
        Assert.True(feedback.Confirmed);
        Assert.Equal(evidence.Select(e => new SignalRef(e.SourceId, e.ItemId)), feedback.Signals);

        clock.Advance(TimeSpan.FromHours(3));
        await activity.RunAsync(Mock.Of<TaskActivityContext>(), input);

        var rerun = await services.GetRequiredService<CaseStore>().GetAsync(caseId, CancellationToken.None);
        Assert.Equal(FirstClose, rerun!.ClosedAt);
        var both = await FeedbackAsync(services, caseId);
        Assert.Equal(2, both.Count);
        Assert.Equal(both[0].Confirmed, both[1].Confirmed);
        Assert.Equal(both[0].Signals, both[1].Signals);

    }

    [Fact]
    public async Task Run_EveryDepartmentRejected_SendsRefutingFeedback()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var caseId = $"JP-DISHONEST-2016-{Guid.NewGuid():N}";
        var (caseFile, _) = await services.GetRequiredService<CaseFileStore>()
            .WriteAsync(CaseFileOf(caseId, [Evidence("news-feed", "item-9")]), CancellationToken.None);
        var request = Request(caseId) with { CaseFile = caseFile };
        var rejected = request.Departments
            .Select(d => new DepartmentOutcome(d.Department, DepartmentOutcomeStatus.Rejected, "r", null)).ToList();

        await ActivatorUtilities.CreateInstance<CloseCaseActivity>(services)
            .RunAsync(Mock.Of<TaskActivityContext>(), new CloseCaseInput(request, new ReviewOutcome(caseId, rejected, [])));

        var feedback = Assert.Single(await FeedbackAsync(services, caseId));
        Assert.False(feedback.Confirmed);
        Assert.Equal([new SignalRef("news-feed", "item-9")], feedback.Signals);
    }

    [Fact]
    public async Task Run_CaseOpenedWithoutACaseFile_ClosesItAndSendsNoFeedback()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var caseId = $"JP-DISHONEST-2016-{Guid.NewGuid():N}";
        var request = Request(caseId);
        var measures = MeasurePlanner.Plan(request, Approved(request), OpenedAt);

        var outcome = new ReviewOutcome(caseId, Approved(request), measures);

        await ActivatorUtilities.CreateInstance<CloseCaseActivity>(services)
            .RunAsync(Mock.Of<TaskActivityContext>(), new CloseCaseInput(request, outcome));


        var closed = await services.GetRequiredService<CaseStore>().GetAsync(caseId, CancellationToken.None);
        Assert.Equal(CaseStatus.Closed, closed!.Status);
        Assert.NotNull(closed.ClosedAt);
        Assert.Empty(await FeedbackAsync(services, caseId));
    }

    private static async Task<List<SignalFeedback>> FeedbackAsync(IServiceProvider services, string caseId)
    {
        var queue = services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.SignalFeedback);
        return (await queue.PeekMessagesAsync(32)).Value
            .Select(m => StageMessages.Read<SignalFeedback>(m.Body.ToString()))
            .Where(f => f.CaseId == caseId)
            .ToList();
    }

    private static List<DepartmentOutcome> Approved(ReviewRequest request) =>
        request.Departments.Select(d => new DepartmentOutcome(d.Department, DepartmentOutcomeStatus.Approved, "r", null)).ToList();

    private static CaseFileEvidence Evidence(string sourceId, string itemId) =>
        new(itemId, sourceId, $"title of {itemId}", "customs", 0.9, new string('a', 64), $"raw/{itemId}");

    private static CaseFile CaseFileOf(string caseId, CaseFileEvidence[] evidence) => new(
        caseId, "JP-DISHONEST-2016", "U", "Enterprise", OpenedAt,
        new CreditPortrait("U", 40, CreditGrade.D, 0.8, evidence.Length, [], OpenedAt), "test-models", "A ≥ 80", evidence);

    private static ReviewRequest Request(string caseId)
    {
        var memorandum = MemorandumCatalog.LoadEmbedded().Get("JP-DISHONEST-2016");
        return new ReviewRequest(
            caseId, "U", "Enterprise", memorandum.Id, memorandum.Kind, CreditGrade.D, 40, [], memorandum.Departments,
            TimeSpan.FromDays(7), OpenedAt, Revision: ReviewRequest.CurrentRevision);
    }
}
