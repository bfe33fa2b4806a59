namespace Supervision.Infrastructure.Reviews;

/// <summary>Settings of joint reviews (section "Reviews").</summary>
public sealed class ReviewOptions
{
    public const string SectionName = "Reviews";

    /// <summary>How long each department has to decide before the case is escalated as overdue.</summary>
    public TimeSpan DecisionWindow { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long a department has to report that it implemented its measures.</summary>
    public TimeSpan FeedbackWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Demonstrations only: every measure lasts this long instead of its memorandum's duration.</summary>
    public TimeSpan? MeasureDuration { get; set; }

    /// <summary>How often a department may ask for more information, each time restarting its window.</summary>
    public int MaxInformationRequests { get; set; } = 2;

    /// <summary>
    /// How long an enterprise may object once notified of its measures; an objection re-opens the
    /// review. Zero: no objection stage.
    /// </summary>
    public TimeSpan ObjectionWindow { get; set; } = TimeSpan.FromDays(15);
}
