using Supervision.Domain.Audit;
using Supervision.Domain.Paging;
using Supervision.Domain.Reviews;

namespace Supervision.Infrastructure.Reviews;

/// <summary>The cases and decisions the decision desk reads and writes: <see cref="CaseStore"/>, or memory in unit tests.</summary>
public interface ICaseBook
{
    Task<CaseRecord?> GetAsync(string caseId, CancellationToken cancellationToken);

    /// <summary>One page of the cases a filter selects, newest first.</summary>
    Task<ListPage<CaseRecord>> PageAsync(CaseFilter filter, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Records a decision unless the department already has one in that round; returns the one that stands.</summary>
    Task<(DecisionRecord Standing, bool Inserted)> RecordDecisionAsync(DecisionRecord decision, CancellationToken cancellationToken);

    Task<DecisionRecord?> FindDecisionAsync(string caseId, string department, int round, CancellationToken cancellationToken);

    /// <summary>Applies a step of a department's review to the stored case (<see cref="CaseStore.RecordProgressAsync"/>).</summary>
    Task RecordProgressAsync(string caseId, Func<CaseRecord, CaseRecord> change, CancellationToken cancellationToken);
}

/// <summary>The audit trail the decision desk reads and appends to: <see cref="AuditLog"/>, or memory in unit tests.</summary>
public interface IAuditTrail
{
    /// <summary>Appends unless <paramref name="key"/> was appended before; true when it appended.</summary>
    Task<bool> AppendAsync(AuditEntry entry, string key, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string subject, string key, CancellationToken cancellationToken);

    /// <summary>A subject's entries in the order they were appended.</summary>
    Task<IReadOnlyList<AuditEntry>> ForSubjectAsync(string subject, CancellationToken cancellationToken);
}

/// <summary>
/// Where the decision desk raises Durable events and looks up whether an orchestration has started. The
/// HTTP adapter builds it from the <c>DurableTaskClient</c> its host binds (<see cref="DurableReviewEvents"/>).
/// </summary>
public interface IReviewEvents
{
    Task RaiseAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken);

    /// <summary>The instance, or null when it has not started (or never will).</summary>
    Task<ReviewInstance?> FindAsync(string instanceId, CancellationToken cancellationToken);
}

/// <summary>An orchestration instance as the desk sees it: its runtime status by name, and whether it still takes events.</summary>
public sealed record ReviewInstance(string Status, bool Running);
