using System.Collections.Concurrent;
using Supervision.Domain.Audit;
using Supervision.Domain.Paging;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Reviews;

namespace Supervision.Infrastructure.Tests;

/// <summary>The desk's cases and decisions in memory, keyed as <see cref="CaseStore"/> keys them.</summary>
internal sealed class InMemoryCaseBook : ICaseBook
{
    private readonly ConcurrentDictionary<string, CaseRecord> cases = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string CaseId, string Key), DecisionRecord> decisions = new();

    public IReadOnlyList<DecisionRecord> Decisions => decisions.Values.ToList();

    public void Save(CaseRecord record) => cases[record.CaseId] = record;

    public Task<CaseRecord?> GetAsync(string caseId, CancellationToken cancellationToken) =>
        Task.FromResult(cases.TryGetValue(caseId, out var record) ? record : null);

    /// <summary>Pages as the store does: newest first, then by case id; a position is the first case id of the page.</summary>
    public Task<ListPage<CaseRecord>> PageAsync(CaseFilter filter, PageRequest page, CancellationToken cancellationToken)
    {
        var selected = cases.Values
            .Where(c => filter.Status is null || c.Status == filter.Status)
            .Where(c => filter.Department is null || c.Departments.Contains(filter.Department))
            .Where(c => filter.Uscc is null || c.Uscc == filter.Uscc)
            .OrderByDescending(c => c.OpenedAt).ThenBy(c => c.CaseId, StringComparer.Ordinal)
            .SkipWhile(c => page.From is [var first] && c.CaseId != first)
            .Take(page.Size + 1)
            .ToList();
        var next = selected.Count > page.Size ? new[] { selected[page.Size].CaseId } : null;
        return Task.FromResult(new ListPage<CaseRecord>(selected.Take(page.Size).ToList(), next));
    }

    public Task<(DecisionRecord Standing, bool Inserted)> RecordDecisionAsync(DecisionRecord decision, CancellationToken cancellationToken)
    {
        var key = (decision.CaseId, decision.Department + ReviewNames.RoundSuffix(decision.Round));
        var standing = decisions.GetOrAdd(key, decision);
        return Task.FromResult((standing, ReferenceEquals(standing, decision)));
    }

    public Task<DecisionRecord?> FindDecisionAsync(string caseId, string department, int round, CancellationToken cancellationToken) =>
        Task.FromResult(decisions.TryGetValue((caseId, department + ReviewNames.RoundSuffix(round)), out var d) ? d : null);

    public Task RecordProgressAsync(string caseId, Func<CaseRecord, CaseRecord> change, CancellationToken cancellationToken)
    {
        if (cases.TryGetValue(caseId, out var stored))
        {
            cases[caseId] = change(stored);
        }

        return Task.CompletedTask;
    }
}

/// <summary>An audit trail in memory: entries in append order, one append per key, as <see cref="AuditLog"/> does.</summary>
internal sealed class InMemoryAuditTrail : IAuditTrail
{
    private readonly List<(AuditEntry Entry, string Key)> entries = [];

    public IReadOnlyList<AuditEntry> Entries
    {
        get
        {
            lock (entries)
            {
                return entries.Select(e => e.Entry).ToList();
            }
        }
    }

    public Task<bool> AppendAsync(AuditEntry entry, string key, CancellationToken cancellationToken)
    {
        lock (entries)
        {
            if (entries.Any(e => e.Entry.Subject == entry.Subject && e.Key == key))
            {
                return Task.FromResult(false);
            }

            entries.Add((entry, key));
            return Task.FromResult(true);
        }
    }

    public Task<bool> ExistsAsync(string subject, string key, CancellationToken cancellationToken)
    {
        lock (entries)
        {
            return Task.FromResult(entries.Any(e => e.Entry.Subject == subject && e.Key == key));
        }
    }

    public Task<IReadOnlyList<AuditEntry>> ForSubjectAsync(string subject, CancellationToken cancellationToken)
    {
        lock (entries)
        {
            return Task.FromResult<IReadOnlyList<AuditEntry>>(entries.Where(e => e.Entry.Subject == subject).Select(e => e.Entry).ToList());
        }
    }
}

/// <summary>Orchestration instances by id, and every event raised to them, in memory.</summary>
internal sealed class InMemoryReviewEvents : IReviewEvents
{
    private readonly ConcurrentDictionary<string, ReviewInstance> instances = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string InstanceId, string EventName, object Payload)> raised = new();

    public IReadOnlyList<(string InstanceId, string EventName, object Payload)> Raised => raised.ToList();

    public void Start(string instanceId) => instances[instanceId] = new ReviewInstance("Running", Running: true);

    public void End(string instanceId) => instances[instanceId] = new ReviewInstance("Completed", Running: false);

    public Task RaiseAsync(string instanceId, string eventName, object payload, CancellationToken cancellationToken)
    {
        raised.Enqueue((instanceId, eventName, payload));
        return Task.CompletedTask;
    }

    public Task<ReviewInstance?> FindAsync(string instanceId, CancellationToken cancellationToken) =>
        Task.FromResult(instances.TryGetValue(instanceId, out var instance) ? instance : null);
}
