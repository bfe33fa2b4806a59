using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Supervision.Infrastructure.Telemetry;

/// <summary>
/// Supervision's traces and metrics, one source and one meter named "Supervision". The trace
/// context travels inside queue messages and the review request (W3C traceparent), so one trace
/// follows an item from its feed to scoring, the portrait, the review and the alerts.
/// </summary>
public static class SupervisionTelemetry
{
    public const string Name = "Supervision";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    public static readonly Counter<long> ItemsIngested =
        Meter.CreateCounter<long>("supervision.items.ingested", "{item}", "New items queued for scoring, per source");

    public static readonly Counter<long> FeedsQuarantined =
        Meter.CreateCounter<long>("supervision.feeds.quarantined", "{feed}", "Feeds kept in quarantine, per source");

    public static readonly Counter<long> ItemsScored =
        Meter.CreateCounter<long>("supervision.items.scored", "{item}", "Items scored and stored as signals, per source");

    public static readonly Counter<long> ItemsUnlinked = Meter.CreateCounter<long>(
        "supervision.items.unlinked",
        "{item}",
        "Items naming no registered enterprise, kept for an operator, per source");

    public static readonly Counter<long> EnterprisesFlagged =
        Meter.CreateCounter<long>("supervision.enterprises.flagged", "{case}", "Joint reviews opened");

    public static readonly Counter<long> DepartmentsOverdue =
        Meter.CreateCounter<long>("supervision.reviews.overdue", "{department}", "Departments that let a review deadline pass");

    public static readonly Counter<long> AlertsSent =
        Meter.CreateCounter<long>("supervision.alerts.sent", "{alert}", "Alerts delivered, per kind");

    public static readonly Counter<long> MessagesPoisoned = Meter.CreateCounter<long>(
        "supervision.messages.poisoned",
        "{message}",
        "Queue messages dead-lettered after maxDequeueCount failures, per queue (alerts included)");

    private static long pendingReviews;
    private static IReadOnlyDictionary<string, long> pendingByDepartment = new Dictionary<string, long>();

    static SupervisionTelemetry()
    {
        Meter.CreateObservableGauge(
            "supervision.reviews.pending",
            () => Interlocked.Read(ref pendingReviews),
            "{case}",
            "Joint reviews awaiting decisions, as last counted");
        Meter.CreateObservableGauge(
            "supervision.reviews.pending.department",
            () => Volatile.Read(ref pendingByDepartment)
                .Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>("department", d.Key))),
            "{case}",
            "Joint reviews awaiting decisions that involve each department, as last counted");
    }

    /// <summary>Set from the pending-case counters (the reviews stage's PendingReviewsGauge).</summary>
    public static void SetPendingReviews(long count, IReadOnlyDictionary<string, long>? byDepartment = null)
    {
        Interlocked.Exchange(ref pendingReviews, count);
        if (byDepartment is not null)
        {
            Volatile.Write(ref pendingByDepartment, byDepartment);
        }
    }

    /// <summary>Starts a span continuing the trace named by a W3C traceparent, or a new trace when there is none.</summary>
    public static Activity? StartContinuing(string name, string? traceParent, ActivityKind kind = ActivityKind.Consumer) =>
        ActivityContext.TryParse(traceParent, null, out var parent)
            ? Source.StartActivity(name, kind, parent)
            : Source.StartActivity(name, kind);

    /// <summary>The current span as a W3C traceparent, for a message that continues this trace.</summary>
    public static string? CurrentTraceParent => Activity.Current?.Id;
}
