namespace Supervision.Domain.Reviews;

/// <summary>Where one department's review of a case stands, as its queue shows it.</summary>
public enum DepartmentReviewStatus
{
    /// <summary>Notified; no answer yet.</summary>
    Pending,

    /// <summary>Asked the case owner for more information; no decision yet.</summary>
    InformationRequested,

    Approved,
    Rejected,

    /// <summary>No decision before the deadline: recorded and escalated to the case owner.</summary>
    Overdue,
}

/// <summary>The kinds of notice a department receives while its decision is due.</summary>
public static class ReviewAlertKinds
{
    /// <summary>Half the window has passed.</summary>
    public const string Reminder = "reminder";

    /// <summary>Three quarters of the window: the department's supervisor may decide.</summary>
    public const string EscalatedToSupervisor = "escalated-to-supervisor";

    /// <summary>The deadline passed: escalated to the case owner.</summary>
    public const string EscalatedToCaseOwner = "escalated-to-case-owner";
}

/// <summary>A reminder or escalation a department received, and when (UTC).</summary>
public sealed record ReviewAlert(string Kind, DateTimeOffset At);

/// <summary>
/// One department's review of a case in one round (2: the re-review after an objection): its status,
/// its current decision deadline (UTC; restarted by a request for information within the allowance),
/// how many requests for information it made, and the reminders and escalations it received.
/// <see cref="Overdue"/> is stored false and set when the list or the case is read (<see cref="ReviewProgress.AsOf"/>).
/// </summary>
public sealed record DepartmentProgress(
    string Department,
    int Round,
    DepartmentReviewStatus Status,
    DateTimeOffset? Deadline,
    IReadOnlyList<ReviewAlert> Alerts,
    int InformationRequests = 0,
    DateTimeOffset? DecidedAt = null,
    bool Overdue = false);
