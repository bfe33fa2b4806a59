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
}

/// <summary>
/// The source registry's table (<c>sources</c>): each source's definition beside its measured
/// record and earned trust. Ingestion seeds and measures sources; the portraits stage reads each
/// source's scale and trust. Definitions and measurements are written as separate merges, so
/// neither overwrites the other.
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

    /// <summary>Replaces the definition columns and leaves the measured ones alone.</summary>
    public Task SeedAsync(SourceDefinition definition, DateTimeOffset seededAt, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(
            new TableEntity(Partition, definition.Id)
            {
                [nameof(SourceEntity.Definition)] = JsonSerializer.Serialize(definition, Json),
                [nameof(SourceEntity.DeclaredTrust)] = definition.TrustWeight,
                [nameof(SourceEntity.SeededAt)] = seededAt,
            },
            TableUpdateMode.Merge,
            cancellationToken);

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
            : null;

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
    }
}
