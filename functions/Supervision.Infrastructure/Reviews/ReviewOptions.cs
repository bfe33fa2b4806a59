namespace Supervision.Infrastructure.Reviews;

/// <summary>Settings of joint reviews (section "Reviews").</summary>
public sealed class ReviewOptions
{
    public const string SectionName = "Reviews";

    /// <summary>How long each department has to decide before the case is escalated as overdue.</summary>
    public TimeSpan DecisionWindow { get; set; } = TimeSpan.FromDays(3);
}
