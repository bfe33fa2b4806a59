using System.Text;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Operations;
using Supervision.Infrastructure.Portraits;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Scoring;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;
using static Supervision.LocalHost.Tests.AccessHost;

namespace Supervision.LocalHost.Tests;

/// <summary>
/// The access tests' local host and cases (<see cref="AccessHost"/>), with what every list and read
/// needs to answer something worth validating: enterprise A's case with a case file and an objection
/// window, A's portrait with its history, a quarantined body, message failures (one replayable), a source,
/// an unlinked mention (its message kept, so it can be linked), and a review really running (<see cref="LiveCase"/>) for decisions.
/// </summary>
public sealed class ResponseSchemaHost : IAsyncLifetime
{
    /// <summary>A dishonesty review of enterprise B by customs, tax and procurement, run by its orchestration.</summary>
    public const string LiveCase = "schema-live-case";

    /// <summary>Message ids of poisoned score messages: one kept with its failure record (replayable), one not.</summary>
    public const string PoisonedKept = "poisoned-kept";
    public const string PoisonedNotKept = "poisoned-not-kept";

    private readonly AccessHost access = new();

    public TestLocalHost Host => access.Host;

    public async Task InitializeAsync()
    {
        await access.InitializeAsync();
        var services = Host.Services;
        var now = DateTimeOffset.UtcNow;
        var cases = services.GetRequiredService<CaseStore>();

        // The item's bytes as the pull archived them, so that its raw download answers.
        var rawSha256 = await services.GetRequiredService<RawArchive>().KeepAsync(
            Encoding.UTF8.GetBytes("<rss><item><title>华夏样本贸易 走私被查</title></item></rss>"), "application/rss+xml", "schema-news", default);
        var portrait = new CreditPortrait(
            UsccA, 38, CreditGrade.D, 0.62, 1, [new("item-1", "schema-news", rawSha256, 0.62, "华夏样本贸易 走私被查", "smuggling")], now);
        var portraits = services.GetRequiredService<PortraitStore>();
        await portraits.TrySaveAsync(portrait with { SignalCount = 0, Contributions = [] }, "seed", default);
        await portraits.TrySaveAsync(portrait, "item-1", default);

        var caseA = (await cases.GetAsync(CaseA, default))!;
        var evidence = new CaseFileEvidence("item-1", "schema-news", "华夏样本贸易 走私被查", "smuggling", 0.62, rawSha256, "raw/item-1");
        var (file, _) = await services.GetRequiredService<CaseFileStore>().WriteAsync(
            new CaseFile(
                CaseA, caseA.MemorandumId, UsccA, caseA.EnterpriseName, caseA.OpenedAt, portrait, "sentiment 1.0", "D < 45", [evidence]),
            default);
        await cases.SaveAsync(caseA with { CaseFile = file, ObjectionDeadline = now.AddDays(15) }, default);

        await services.GetRequiredService<Quarantine>().KeepAsync(
            "schema-news", Encoding.UTF8.GetBytes("<rss"), "not XML", default, "Malformed");
        var failures = services.GetRequiredService<MessageFailureLog>();
        var failed = new InvalidOperationException("the model could not be loaded");
        await failures.RecordAsync("score-items", "message-1", 5, failed, poisoned: true, default);

        // Poisoned on a real queue: one with its message kept, to replay; one recorded before messages were kept.
        var poisoned = new NormalisedItem("item-3", "schema-news", "某地一家企业被通报", string.Empty, null, now, new string('c', 64), now);
        await failures.RecordAsync(
            StorageNames.Queues.ItemsToScore, PoisonedKept, 5, failed, poisoned: true, default, ScoreMessage(poisoned));
        await failures.RecordAsync(StorageNames.Queues.ItemsToScore, PoisonedNotKept, 5, failed, poisoned: true, default);
        var source = new SourceDefinition("schema-news", "示例新闻", SourceKind.NewsFeed, SourceFormat.Feed, 0.6)
        {
            Url = new("http://127.0.0.1:9/rss"),
        };
        await services.GetRequiredService<SourceRegistry>().SeedAsync([source], default);
        var mention = new NormalisedItem("item-2", "schema-news", "某公司 被罚", "无法确定是哪家企业", null, now, new string('b', 64), now);
        await services.GetRequiredService<UnlinkedMentionStore>().KeepAsync(
            mention, "no candidate above the threshold", ScoreMessage(mention), default);

        var live = TestLocalHost.DishonestReview(LiveCase, ReviewTimings.Default);
        await services.GetRequiredService<DurableTaskClient>().ScheduleNewOrchestrationInstanceAsync(
            nameof(JointReviewOrchestrator), live, new StartOrchestrationOptions(LiveCase));
        await Eventually.GetAsync(() => Host.CaseStatusAsync(LiveCase), s => s == "Pending", what: "the live case to open");
        foreach (var department in live.Departments.Select(d => d.Department))
        {
            var instance = ReviewNames.DepartmentReviewInstanceFor(LiveCase, department);
            await Eventually.GetAsync(
                () => services.GetRequiredService<DurableTaskClient>().GetInstanceAsync(instance),
                i => i?.RuntimeStatus == OrchestrationRuntimeStatus.Running,
                what: $"{department}'s review to start");
        }
    }

    public Task DisposeAsync() => access.DisposeAsync();

    private static string ScoreMessage(NormalisedItem item) =>
        JsonSerializer.Serialize(new ScoreItemMessage(item, 0.6), MessageJson.Options);
}
