using System.Text.Json;
using Azure.Data.Tables;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Reviews;

/// <summary>Cases and decisions in Table storage.</summary>
public sealed class CaseStore(SupervisionStorage storage)
{
    private const string CasePartition = "case";
    private const string ClaimPartition = "claim";

    private TableClient Cases => storage.Table(StorageNames.Tables.Cases);

    private TableClient Decisions => storage.Table(StorageNames.Tables.Decisions);

    public Task SaveAsync(CaseRecord record, CancellationToken cancellationToken) =>
        Cases.UpsertEntityAsync(
            new TableEntity(CasePartition, TableExtensions.SafeKey(record.CaseId))
            {
                [nameof(JsonEntity.Json)] = JsonSerializer.Serialize(record, MessageJson.Options),
                ["Status"] = record.Status.ToString(),
            },
            TableUpdateMode.Replace, cancellationToken);

    public async Task<CaseRecord?> GetAsync(string caseId, CancellationToken cancellationToken) =>
        (await Cases.FindAsync<JsonEntity>(CasePartition, TableExtensions.SafeKey(caseId), cancellationToken))?.Read<CaseRecord>();

    public async Task<IReadOnlyList<CaseRecord>> ListAsync(CaseStatus? status, CancellationToken cancellationToken)
    {
        var cases = new List<CaseRecord>();
        var query = Cases.QueryAsync<JsonEntity>(e => e.PartitionKey == CasePartition, cancellationToken: cancellationToken);
        await foreach (var entity in query)
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
    public async Task<(bool Won, DateTimeOffset ClaimedAt)> ClaimAsync(
        string caseId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var table = Cases;
        var key = TableExtensions.SafeKey(caseId);
        if (await table.TryAddAsync(new TableEntity(ClaimPartition, key) { ["ClaimedAt"] = now }, cancellationToken))
        {
            return (true, now);
        }

        var existing = await table.FindAsync<TableEntity>(ClaimPartition, key, cancellationToken);
        return (false, existing?.GetDateTimeOffset("ClaimedAt") ?? now);
    }

    /// <summary>
    /// The latest occurrence of a case under a memorandum for an enterprise (null when there is
    /// none): the case record if one was written, else the claim a starter made on it. One query
    /// over both partitions: every occurrence's key starts with the first occurrence's id.
    /// </summary>
    public async Task<Occurrence?> LatestOccurrenceAsync(string memorandumId, string uscc, CancellationToken cancellationToken)
    {
        var first = TableExtensions.SafeKey(CaseOccurrences.CaseIdFor(memorandumId, uscc, 1));
        var filter = TableClient.CreateQueryFilter(
            $"(PartitionKey eq {CasePartition} or PartitionKey eq {ClaimPartition}) and RowKey ge {first} and RowKey lt {first + "."}");
        var records = new Dictionary<int, CaseRecord>();
        var claims = new Dictionary<int, DateTimeOffset?>();
        await foreach (var row in Cases.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (CaseOccurrences.OccurrenceOf(row.RowKey, memorandumId, uscc) is not { } number)
            {
                continue;
            }

            if (row.PartitionKey == CasePartition)
            {
                var json = row.GetString(nameof(JsonEntity.Json)) ?? "null";
                records[number] = JsonSerializer.Deserialize<CaseRecord>(json, MessageJson.Options)
                    ?? throw new InvalidDataException($"case row {row.RowKey} holds no case");
            }
            else
            {
                claims[number] = row.GetDateTimeOffset("ClaimedAt");
            }
        }

        if (records.Keys.Concat(claims.Keys).DefaultIfEmpty().Max() is not (> 0 and var latest))
        {
            return null;
        }

        return Occurrence.Of(latest, records.GetValueOrDefault(latest), claims.GetValueOrDefault(latest));
    }

    /// <summary>Records a decision unless the department already has one; returns the one that stands.</summary>
    public async Task<(DecisionRecord Standing, bool Inserted)> RecordDecisionAsync(
        DecisionRecord decision, CancellationToken cancellationToken)
    {
        var table = Decisions;
        var key = decision.Department + ReviewNames.RoundSuffix(decision.Round);
        var json = JsonSerializer.Serialize(decision, MessageJson.Options);
        var inserted = await table.TryAddAsync(new JsonEntity(decision.CaseId, key, json), cancellationToken);
        if (inserted)
        {
            return (decision, true);
        }

        var standing = await table.FindAsync<JsonEntity>(decision.CaseId, key, cancellationToken);
        return (standing!.Read<DecisionRecord>(), false);
    }

    public async Task<DecisionRecord?> FindDecisionAsync(
        string caseId, string department, int round, CancellationToken cancellationToken) =>
        (await Decisions.FindAsync<JsonEntity>(caseId, department + ReviewNames.RoundSuffix(round), cancellationToken))
            ?.Read<DecisionRecord>();

    public async Task<IReadOnlyList<DecisionRecord>> DecisionsAsync(string caseId, CancellationToken cancellationToken)
    {
        var decisions = new List<DecisionRecord>();
        await foreach (var entity in Decisions.QueryAsync<JsonEntity>(e => e.PartitionKey == caseId, cancellationToken: cancellationToken))
        {
            decisions.Add(entity.Read<DecisionRecord>());
        }

        return decisions;
    }
}
