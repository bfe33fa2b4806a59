using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Paging;

namespace Supervision.Infrastructure.Storage;

/// <summary>
/// A source's row: its definition, and what was measured about it (null until measured).
/// <see cref="Trust"/> is the trust it carries now: earned if measured, else declared.
/// </summary>
public sealed record SourceRow(
    SourceDefinition Definition, double? EffectiveTrust, string? TrustExplanation, string? StatisticsJson, DateTimeOffset? MeasuredAt)
{
    public double Trust => EffectiveTrust ?? Definition.TrustWeight;

    /// <summary>Whether input is taken from the source, and why not.</summary>
    public SourceStatus Status { get; init; } = SourceStatus.Listed;
}

/// <summary>
/// The source registry's table (<c>sources</c>): each source's definition beside its measured
/// record and earned trust. Ingestion seeds and measures sources; the portraits stage reads each
/// source's scale and trust. Definitions and measurements are written as separate merges, so
/// neither overwrites the other. A source's status is two sets of columns: the file's (written
/// here, with the definition or alone) and a regulator's decision (written by the regulators'
/// process, never here), so applying the sources file cannot override a decision.
/// </summary>
public sealed class SourceTable(SupervisionStorage storage)
{
    /// <summary>How definitions, statistics and the records sources deliver are written as JSON.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private const string Partition = "source";

    private TableClient Table => storage.Table(StorageNames.Tables.Sources);

    /// <summary>Replaces the definition and file-status columns and leaves the measured and regulator ones alone.</summary>
    public Task SeedAsync(
        SourceDefinition definition, SourceStatus status, DateTimeOffset seededAt, CancellationToken cancellationToken)
    {
        var entity = FileStatusColumns(definition.Id, status);
        entity[nameof(SourceEntity.Definition)] = JsonSerializer.Serialize(definition, Json);
        entity[nameof(SourceEntity.DeclaredTrust)] = definition.TrustWeight;
        entity[nameof(SourceEntity.SeededAt)] = seededAt;
        return Table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Records the file's say about a source no longer in the file, leaving every other column alone.</summary>
    public Task RecordFileStatusAsync(string sourceId, SourceStatus status, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(FileStatusColumns(sourceId, status), TableUpdateMode.Merge, cancellationToken);

    private static TableEntity FileStatusColumns(string sourceId, SourceStatus status) => new(Partition, sourceId)
    {
        [nameof(SourceEntity.FileStatus)] = status.File.ToString(),
        [nameof(SourceEntity.FileStatusReason)] = status.FileReason ?? string.Empty,
        [nameof(SourceEntity.FileStatusSince)] = status.FileSince,
    };

    /// <summary>Records what was measured and the trust it earns, leaving the definition alone.</summary>
    public Task RecordQualityAsync(
        SourceStatistics statistics, SourceTrust trust, DateTimeOffset measuredAt, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(
            new TableEntity(Partition, statistics.SourceId)
            {
                [nameof(SourceEntity.EffectiveTrust)] = trust.Weight,
                [nameof(SourceEntity.TrustExplanation)] = trust.Explanation,
                [nameof(SourceEntity.Statistics)] = JsonSerializer.Serialize(statistics, Json),
                [nameof(SourceEntity.MeasuredAt)] = measuredAt,
            },
            TableUpdateMode.Merge,
            cancellationToken);

    /// <summary>Every source with a readable definition.</summary>
    public async Task<IReadOnlyList<SourceRow>> ListAsync(CancellationToken cancellationToken)
    {
        var sources = new List<SourceRow>();
        await foreach (var entity in Table.QueryAsync<SourceEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            if (RowOf(entity) is { } row)
            {
                sources.Add(row);
            }
        }

        return sources;
    }

    /// <summary>One page of sources, by id (rows with an unreadable definition are left out of the page).</summary>
    public async Task<ListPage<SourceRow>> PageAsync(PageRequest page, CancellationToken cancellationToken)
    {
        var rows = await Table.ReadPageAsync<SourceEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), page, cancellationToken);
        return new ListPage<SourceRow>(rows.Items.Select(RowOf).OfType<SourceRow>().ToList(), rows.Next);
    }

    public async Task<SourceRow?> FindAsync(string sourceId, CancellationToken cancellationToken) =>
        await Table.FindAsync<SourceEntity>(Partition, sourceId, cancellationToken) is { } entity ? RowOf(entity) : null;

    private static SourceRow? RowOf(SourceEntity entity) =>
        JsonSerializer.Deserialize<SourceDefinition>(entity.Definition, Json) is { } definition
            ? new SourceRow(definition, entity.EffectiveTrust, entity.TrustExplanation, entity.Statistics, entity.MeasuredAt)
            {
                Status = StatusOf(entity, definition),
            }
            : null;

    private static SourceStatus StatusOf(SourceEntity entity, SourceDefinition definition)
    {
        // A row seeded before statuses existed has no file columns: its definition's flag says what the file said.
        var (file, reason, since) = Enum.TryParse<SourceFileStatus>(entity.FileStatus, out var recorded)
            ? (recorded, string.IsNullOrEmpty(entity.FileStatusReason) ? null : entity.FileStatusReason, entity.FileStatusSince)
            : (SourceStatus.FromFile(definition).Status, SourceStatus.FromFile(definition).Reason, entity.SeededAt);
        var decision = Enum.TryParse<RegulatorDecision>(entity.RegulatorDecision, out var decided) ? decided : RegulatorDecision.None;
        return new SourceStatus(file, reason, since, decision, entity.RegulatorReason, entity.RegulatorDecidedAt);
    }

    /// <summary>A source row: its definition as JSON beside what has been measured about it.</summary>
    private sealed class SourceEntity : ITableEntity
    {
        public string PartitionKey { get; set; } = Partition;

        public string RowKey { get; set; } = string.Empty;

        public DateTimeOffset? Timestamp { get; set; }

        public ETag ETag { get; set; }

        public string Definition { get; set; } = "{}";

        public double DeclaredTrust { get; set; }

        public double? EffectiveTrust { get; set; }

        public string? TrustExplanation { get; set; }

        public string? Statistics { get; set; }

        public DateTimeOffset? SeededAt { get; set; }

        public DateTimeOffset? MeasuredAt { get; set; }

        public string? FileStatus { get; set; }

        public string? FileStatusReason { get; set; }

        public DateTimeOffset? FileStatusSince { get; set; }

        /// <summary>A regulator's decision (<see cref="Supervision.Domain.Ingestion.RegulatorDecision"/>); only read here.</summary>
        public string? RegulatorDecision { get; set; }

        public string? RegulatorReason { get; set; }

        public DateTimeOffset? RegulatorDecidedAt { get; set; }
    }
}
