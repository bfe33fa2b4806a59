using Microsoft.DurableTask.Client;
using Supervision.Domain.Audit;
using Supervision.Domain.Paging;
using Supervision.Domain.Reviews;

namespace Supervision.Infrastructure.Reviews;

/// <summary>The desk's cases and decisions in Table storage, through <see cref="CaseStore"/>.</summary>
public sealed class CaseStoreBook(CaseStore store) : ICaseBook
{
    public Task<CaseRecord?> GetAsync(string caseId, CancellationToken cancellationToken) => store.GetAsync(caseId, cancellationToken);

    public Task<ListPage<CaseRecord>> PageAsync(CaseFilter filter, PageRequest page, CancellationToken cancellationToken) =>
        store.PageAsync(filter, page, cancellationToken);

    public Task<(DecisionRecord Standing, bool Inserted)> RecordDecisionAsync(
        DecisionRecord decision, CancellationToken cancellationToken) =>
        store.RecordDecisionAsync(decision, cancellationToken);

    public Task<DecisionRecord?> FindDecisionAsync(string caseId, string department, int round, CancellationToken cancellationToken) =>
        store.FindDecisionAsync(caseId, department, round, cancellationToken);

    public Task RecordProgressAsync(string caseId, Func<CaseRecord, CaseRecord> change, CancellationToken cancellationToken) =>
        store.RecordProgressAsync(caseId, change, cancellationToken);
}

/// <summary>The desk's audit trail: the hash-chained <see cref="AuditLog"/>.</summary>
public sealed class AuditLogTrail(AuditLog log) : IAuditTrail
{
    public Task<bool> AppendAsync(AuditEntry entry, string key, CancellationToken cancellationToken) =>
        log.AppendAsync(entry, key, cancellationToken);

    public Task<bool> ExistsAsync(string subject, string key, CancellationToken cancellationToken) =>
        log.ExistsAsync(subject, key, cancellationToken);

    public Task<IReadOnlyList<AuditEntry>> ForSubjectAsync(string subject, CancellationToken cancellationToken) =>
        log.ForSubjectAsync(subject, cancellationToken);
}

/// <summary>The desk's events, raised through the Durable client the HTTP adapter's host binds.</summary>
public sealed class DurableReviewEvents(DurableTaskClient client) : IReviewEvents
{
    public Task RaiseAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken) =>
        client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);

    public async Task<ReviewInstance?> FindAsync(string instanceId, CancellationToken cancellationToken) =>
        await client.GetInstanceAsync(instanceId, cancellationToken) is { } instance
            ? new ReviewInstance(
                instance.RuntimeStatus.ToString(),
                instance.RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending)
            : null;
}
