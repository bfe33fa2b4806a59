namespace Supervision.Domain.Audit;

/// <summary>One recorded decision or state change: who, what, when, and a hash of the inputs it rested on.</summary>
public sealed record AuditEntry(string Subject, string Action, string Actor, DateTimeOffset At, string Detail, string InputsSha256);
