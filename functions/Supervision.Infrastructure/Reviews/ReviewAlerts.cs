using Supervision.Domain.Alerts;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Reviews;

/// <summary>How a review's activities tell regulators: an alert on the alerts queue, continuing the current trace.</summary>
internal static class ReviewAlerts
{
    /// <summary>
    /// Sends the alert. Its id derives from what happened, so a rerun of the activity sends a
    /// copy that the alerts stage delivers once.
    /// </summary>
    public static Task AlertAsync(
        this StageMessages messages, string alertId, AlertKind kind, string uscc, string caseId, string text, DateTimeOffset at) =>
        messages.SendAsync(
            new Alert(alertId, kind, uscc, caseId, text, at, SupervisionTelemetry.CurrentTraceParent), CancellationToken.None);
}
