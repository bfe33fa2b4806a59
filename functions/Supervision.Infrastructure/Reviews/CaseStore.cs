using System.Text.Json;
using Azure.Data.Tables;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Reviews;

/// <summary>Where a case stands, as regulators see it.</summary>
public enum CaseStatus
{
    /// <summary>Departments are reviewing.</summary>
    Pending,

    /// <summary>Decided, with measures in force until they end or are lifted.</summary>
    MeasuresInForce,

    /// <summary>Decided with no measure, or every measure has ended.</summary>
    Closed,
}

/// <summary>
/// A joint-review case as listed by the API: the request it opened with, how it ended, which
/// review round it is in (2 after the enterprise objected), until when it may object, and the
/// revision of the orchestration it runs (<see cref="ReviewRequest.Revision"/>), which tells the
/// API where a department's decision goes.
/// </summary>
public sealed record CaseRecord(
    string CaseId,
    string Uscc,
    string EnterpriseName,
    string MemorandumId,
    MemorandumKind Kind,
    CreditGrade Grade,
    double Score,
    IReadOnlyList<string> Departments,
    CaseStatus Status,
    DateTimeOffset OpenedAt,
    ReviewOutcome? Outcome,
    int Round = 1,
    DateTimeOffset? ObjectionDeadline = null,
    int Revision = 1,
    string? CaseFile = null)
{
    public static CaseRecord Of(ReviewRequest request, CaseStatus status, ReviewOutcome? outcome) =>
        new(request.CaseId, request.Uscc, request.EnterpriseName, request.MemorandumId, request.Kind, request.Grade, request.Score,
            request.Departments.Select(d => d.Department).ToList(), status, request.OpenedAt, outcome, Revision: request.Revision, CaseFile: request.CaseFile);

    /// <summary>The orchestration instance that receives a department's decisions in the case's current round.</summary>
    public string DecisionInstanceFor(string department) =>
        Revision >= ReviewRequest.CurrentRevision ? ReviewNames.DepartmentReviewInstanceFor(CaseId, department, Round) : CaseId;
}

/// <summary>A department's recorded decision on a case (one per case, department and round).</summary>
public sealed record DecisionRecord(string CaseId, string Department, DecisionVerdict Verdict, string DecidedBy, string? Comment, DateTimeOffset DecidedAt, int Round = 1);

/// <summary>Cases and decisions in Table storage.</summary>
public sealed class CaseStore(SupervisionStorage storage)
{
    private const string CasePartition = "case";
    private const string ClaimPartition = "claim";

    public Task SaveAsync(CaseRecord record, CancellationToken cancellationToken) =>
        storage.Table(StorageNames.Tables.Cases).UpsertEntityAsync(
            new TableEntity(CasePartition, TableExtensions.SafeKey(record.CaseId))
            {
                [nameof(JsonEntity.Json)] = JsonSerializer.Serialize(record, MessageJson.Options),
                ["Status"] = record.Status.ToString(),
            },
            TableUpdateMode.Replace, cancellationToken);

    public async Task<CaseRecord?> GetAsync(string caseId, CancellationToken cancellationToken) =>
        (await storage.Table(StorageNames.Tables.Cases).FindAsync<JsonEntity>(CasePartition, TableExtensions.SafeKey(caseId), cancellationToken))?.Read<CaseRecord>();

    public async Task<IReadOnlyList<CaseRecord>> ListAsync(CaseStatus? status, CancellationToken cancellationToken)
    {
        var cases = new List<CaseRecord>();
        await foreach (var entity in storage.Table(StorageNames.Tables.Cases).QueryAsync<JsonEntity>(e => e.PartitionKey == CasePartition, cancellationToken: cancellationToken))
        {
            var record = entity.Read<CaseRecord>();
            if (status is null || record.Status == status)
            {
                cases.Add(record);
            }
        }

        return cases.OrderByDescending(c => c.OpenedAt).ToList();
    }

    /// <summary>Claims the right to start a case: true for the first caller only; otherwise when the claim was made.</summary>
    public async Task<(bool Won, DateTimeOffset ClaimedAt)> ClaimAsync(string caseId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = storage.Table(StorageNames.Tables.Cases);
        var key = TableExtensions.SafeKey(caseId);
        if (await table.TryAddAsync(new TableEntity(ClaimPartition, key) { ["ClaimedAt"] = now }, cancellationToken))
        {
            return (true, now);
        }

        var existing = await table.FindAsync<TableEntity>(ClaimPartition, key, cancellationToken);
        return (false, existing?.GetDateTimeOffset("ClaimedAt") ?? now);
    }

    /// <summary>Records a decision unless the department already has one; returns the one that stands.</summary>
    public async Task<(DecisionRecord Standing, bool Inserted)> RecordDecisionAsync(DecisionRecord decision, CancellationToken cancellationToken)
    {
        var table = storage.Table(StorageNames.Tables.Decisions);
        var key = decision.Department + ReviewNames.RoundSuffix(decision.Round);
        var inserted = await table.TryAddAsync(new JsonEntity(decision.CaseId, key, JsonSerializer.Serialize(decision, MessageJson.Options)), cancellationToken);
        if (inserted)
        {
            return (decision, true);
        }

        var standing = await table.FindAsync<JsonEntity>(decision.CaseId, key, cancellationToken);
        return (standing!.Read<DecisionRecord>(), false);
    }

    public async Task<DecisionRecord?> FindDecisionAsync(string caseId, string department, int round, CancellationToken cancellationToken) =>
        (await storage.Table(StorageNames.Tables.Decisions).FindAsync<JsonEntity>(caseId, department + ReviewNames.RoundSuffix(round), cancellationToken))?.Read<DecisionRecord>();

    public async Task<IReadOnlyList<DecisionRecord>> DecisionsAsync(string caseId, CancellationToken cancellationToken)
    {
        var decisions = new List<DecisionRecord>();
        await foreach (var entity in storage.Table(StorageNames.Tables.Decisions).QueryAsync<JsonEntity>(e => e.PartitionKey == caseId, cancellationToken: cancellationToken))
        {
            decisions.Add(entity.Read<DecisionRecord>());
        }

        return decisions;
    }
}
