using System.Text.Json;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Paging;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// The third-party institutions Supervision takes signals from, kept in the sources table
/// (<see cref="SourceTable"/>). Seeded from a file in the repository on every start (definitions
/// are replaced, measured statistics and earned trust are kept), so adding a source is a reviewed
/// change to that file.
/// </summary>
public sealed class SourceRegistry(SourceTable table, TimeProvider time, ILogger<SourceRegistry> logger)
{
    public static JsonSerializerOptions JsonOptions => SourceTable.Json;

    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);
    // A reference, not a struct tuple: the tick reads it while measurements clear it concurrently, and
    // a reference is read or written whole.
    private Snapshot? cache;

    /// <summary>Reads and checks a seed file; any problem rejects the whole file so nothing half-applies.</summary>
    public static IReadOnlyList<SourceDefinition> ReadSeedFile(string path)
    {
        using var stream = File.OpenRead(path);
        var document = JsonSerializer.Deserialize<SeedDocument>(stream, JsonOptions)
            ?? throw new InvalidDataException($"{path} holds no sources");
        var problems = document.Sources.SelectMany(s => s.Problems())
            .Concat(document.Sources.GroupBy(s => s.Id).Where(g => g.Count() > 1)
                .Select(g => $"source id '{g.Key}' appears {g.Count()} times"))
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
            await table.SeedAsync(definition, time.GetUtcNow(), cancellationToken);
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

        var sources = (await table.ListAsync(cancellationToken))
            .Select(row => new RegisteredSource(row.Definition, row.Trust, row.TrustExplanation, row.StatisticsJson))
            .ToList();
        cache = new Snapshot(sources, time.GetUtcNow());
        return sources;
    }

    /// <summary>One page of registered sources, by id, read from the table (not the cache).</summary>
    public async Task<ListPage<RegisteredSource>> PageAsync(PageRequest page, CancellationToken cancellationToken) =>
        (await table.PageAsync(page, cancellationToken))
            .Select(row => new RegisteredSource(row.Definition, row.Trust, row.TrustExplanation, row.StatisticsJson));

    public async Task<RegisteredSource?> FindAsync(string sourceId, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(s => s.Definition.Id == sourceId);

    /// <summary>Records what was measured and the trust it earns.</summary>
    public async Task RecordQualityAsync(SourceStatistics statistics, SourceTrust trust, CancellationToken cancellationToken)
    {
        await table.RecordQualityAsync(statistics, trust, time.GetUtcNow(), cancellationToken);
        cache = null;
    }

    private sealed record SeedDocument(IReadOnlyList<SourceDefinition> Sources);

    private sealed record Snapshot(IReadOnlyList<RegisteredSource> Sources, DateTimeOffset LoadedAt);
}

/// <summary>A registered source with the trust its record has earned so far.</summary>
public sealed record RegisteredSource(SourceDefinition Definition, double EffectiveTrust, string? TrustExplanation, string? StatisticsJson);
