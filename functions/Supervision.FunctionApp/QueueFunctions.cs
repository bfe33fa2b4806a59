using Supervision.FunctionApp.Alerts;
using Supervision.FunctionApp.Ingestion;
using Supervision.FunctionApp.Portraits;
using Supervision.FunctionApp.Reviews;
using Supervision.FunctionApp.Scoring;
using Supervision.Infrastructure.Storage;

namespace Supervision.FunctionApp;

/// <summary>Which queue each queue-triggered function reads, for the failure middleware.</summary>
internal static class QueueFunctions
{
    public static readonly IReadOnlyDictionary<string, string> QueueOf = new Dictionary<string, string>
    {
        [nameof(PullSourceFunction.PullSource)] = StorageNames.Queues.SourcesToPull,
        [nameof(ScoreItemFunction.ScoreItem)] = StorageNames.Queues.ItemsToScore,
        [nameof(ReassessEnterpriseFunction.ReassessEnterprise)] = StorageNames.Queues.EnterprisesToReassess,
        [nameof(OpenReviewFunction.OpenReview)] = StorageNames.Queues.EnterprisesFlagged,
        [nameof(RecordSignalFeedbackFunction.RecordSignalFeedback)] = StorageNames.Queues.SignalFeedback,
        [nameof(SendAlertFunction.SendAlert)] = StorageNames.Queues.Alerts,
    };
}
