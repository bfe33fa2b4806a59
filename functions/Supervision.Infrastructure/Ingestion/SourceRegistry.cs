using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// The third-party institutions Supervision takes signals from, in Table storage. Seeded from a
/// file in the repository on every start (definitions are replaced, measured statistics and
/// earned trust are kept), so adding a source is a reviewed change to that file.
/// </summary>
public sealed class SourceRegistry(SupervisionStorage storage, TimeProvider time, ILogger<SourceRegistry> logger)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    private (IReadOnlyList<RegisteredSource> Sources, DateTimeOffset LoadedAt)? cache;

    private TableClient Table => storage.Table(StorageNames.Tables.Sources);

    /// <summary>Reads and checks a seed file; any problem rejects the whole file so nothing half-applies.</summary>
    public static IReadOnlyList<SourceDefinition> ReadSeedFile(string path)
    {
        using var stream = File.OpenRead(path);
        var document = JsonSerializer.Deserialize<SeedDocument>(stream, JsonOptions)
            ?? throw new InvalidDataException($"{path} holds no sources");
        var problems = document.Sources.SelectMany(s => s.Problems())
            .Concat(document.Sources.GroupBy(s => s.Id).Where(g => g.Count() > 1).Select(g => $"source id '{g.Key}' appears {g.Count()} times"))
            .ToList();
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{path}: {string.Join("; ", problems)}");
        }

        return document.Sources;
    }

    public async Task<int> SeedAsync(IReadOnlyList<SourceDefinition> definitions, CancellationToken cancellationToken)
    {
        foreach (var definition in definitions)
        {
            // Merge: the definition columns are replaced, the measured ones left alone.
            await Table.UpsertEntityAsync(
                new TableEntity(SourceEntity.Partition, definition.Id)
                {
                    [nameof(SourceEntity.Definition)] = JsonSerializer.Serialize(definition, JsonOptions),
                    [nameof(SourceEntity.DeclaredTrust)] = definition.TrustWeight,
                    [nameof(SourceEntity.SeededAt)] = time.GetUtcNow(),
                },
                TableUpdateMode.Merge,
                cancellationToken);
        }

        cache = null;
        logger.LogInformation("Source registry seeded with {Count} sources", definitions.Count);
        return definitions.Count;
    }

    public async Task<IReadOnlyList<RegisteredSource>> ListAsync(CancellationToken cancellationToken)
    {
        if (cache is { } fresh && time.GetUtcNow() - fresh.LoadedAt < CacheFor)
        {
            return fresh.Sources;
        }

        var sources = new List<RegisteredSource>();
        await foreach (var entity in Table.QueryAsync<SourceEntity>(e => e.PartitionKey == SourceEntity.Partition, cancellationToken: cancellationToken))
        {
            var definition = JsonSerializer.Deserialize<SourceDefinition>(entity.Definition, JsonOptions);
            if (definition is null)
            {
                continue;
            }

            sources.Add(new RegisteredSource(definition, entity.EffectiveTrust ?? definition.TrustWeight, entity.TrustExplanation, entity.Statistics));
        }

        cache = (sources, time.GetUtcNow());
        return sources;
    }

    public async Task<RegisteredSource?> FindAsync(string sourceId, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(s => s.Definition.Id == sourceId);

    /// <summary>Records what was measured and the trust it earns.</summary>
    public async Task RecordQualityAsync(SourceStatistics statistics, SourceTrust trust, CancellationToken cancellationToken)
    {
        await Table.UpsertEntityAsync(
            new TableEntity(SourceEntity.Partition, statistics.SourceId)
            {
                [nameof(SourceEntity.EffectiveTrust)] = trust.Weight,
                [nameof(SourceEntity.TrustExplanation)] = trust.Explanation,
                [nameof(SourceEntity.Statistics)] = JsonSerializer.Serialize(statistics, JsonOptions),
                [nameof(SourceEntity.MeasuredAt)] = time.GetUtcNow(),
            },
            TableUpdateMode.Merge,
            cancellationToken);
        cache = null;
    }

    private sealed record SeedDocument(IReadOnlyList<SourceDefinition> Sources);
}

/// <summary>A registered source with the trust its record has earned so far.</summary>
public sealed record RegisteredSource(SourceDefinition Definition, double EffectiveTrust, string? TrustExplanation, string? StatisticsJson);

/// <summary>A source row: its definition as JSON beside what has been measured about it.</summary>
public sealed class SourceEntity : ITableEntity
{
    public const string Partition = "source";

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
