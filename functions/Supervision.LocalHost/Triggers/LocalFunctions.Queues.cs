using Microsoft.DurableTask.Client;
using Supervision.Infrastructure.Alerts;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Portraits;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Scoring;
using Supervision.Infrastructure.Storage;

namespace Supervision.LocalHost.Triggers;

/// <summary>The timers and queue listeners, each calling the same handler as its Azure Function.</summary>
public static partial class LocalFunctions
{
    public static readonly IReadOnlyList<TimerFunction> Timers =
    [
        new("PullFeeds", "%FEED_PULL_SCHEDULE%", (services, ct) => services.GetRequiredService<SourcePullScheduler>().EnqueueDueAsync(ct)),
        new("MeasureSources", "%SOURCE_MEASURE_SCHEDULE%", (services, ct) => services.GetRequiredService<SourceStatisticsReader>()
            .RefreshStaleAsync(SourceStatisticsReader.RemeasureAfter, ct)),
        new("ScanInbox", "%INBOX_SCAN_SCHEDULE%", (services, ct) => services.GetRequiredService<InboxHandler>().ScanAsync(ct)),
        new("ReassessDuePortraits", "%PORTRAIT_REASSESS_SCHEDULE%", (services, ct) =>
            services.GetRequiredService<DuePortraitsHandler>().ReassessDueAsync(ct)),
        new("ResendUndeliveredItems", "30 * * * * *", (services, ct) =>
            services.GetRequiredService<UndeliveredItemsSweep>().SweepAsync(ct)),
    ];

    public static readonly IReadOnlyList<QueueFunction> Queues =
    [
        new("PullSource", StorageNames.Queues.SourcesToPull, (services, message, ct) =>
            services.GetRequiredService<PullSourceHandler>().HandleAsync(message, ct)),
        new("ScoreItem", StorageNames.Queues.ItemsToScore, (services, message, ct) =>
            services.GetRequiredService<ItemScoringHandler>().HandleAsync(message, ct)),
        new("ReassessEnterprise", StorageNames.Queues.EnterprisesToReassess, (services, message, ct) =>
            services.GetRequiredService<PortraitReassessmentHandler>().HandleAsync(message, ct)),
        new("OpenReview", StorageNames.Queues.EnterprisesFlagged, (services, message, ct) =>
            services.GetRequiredService<FlaggedEnterpriseHandler>()
                .HandleAsync(message, services.GetRequiredService<DurableTaskClient>(), ct)),
        new("RecordSignalFeedback", StorageNames.Queues.SignalFeedback, (services, message, ct) =>
            services.GetRequiredService<SignalFeedbackHandler>().HandleAsync(message, ct)),
        new("SendAlert", StorageNames.Queues.Alerts, (services, message, ct) =>
            services.GetRequiredService<AlertDeliveryHandler>().HandleAsync(message, ct)),
    ];
}
