namespace Supervision.Domain.Alerts;

/// <summary>What an alert tells regulators about.</summary>
public enum AlertKind
{
    EnterpriseFlagged,
    DecisionDue,
    Escalated,
    MeasuresApplied,
    MeasuresLifted,
    ObjectionReceived,
}

/// <summary>
/// A message to regulators. <paramref name="AlertId"/> is derived from what happened (case,
/// kind, department), so the same event queued twice is delivered once. <paramref name="TraceParent"/>
/// continues the trace of whatever raised it.
/// </summary>
public sealed record Alert(
    string AlertId,
    AlertKind Kind,
    string Uscc,
    string? CaseId,
    string Text,
    DateTimeOffset CreatedAt,
    string? TraceParent = null)
{
    /// <summary>How many delivery rounds have failed before this one; drives the backoff.</summary>
    public int Attempt { get; init; }

    public static string IdFor(AlertKind kind, string caseId, string? department = null) =>
        department is null ? $"{caseId}:{kind}" : $"{caseId}:{kind}:{department}";
}
