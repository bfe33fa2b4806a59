using System.Text.Json;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Paging;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// The third-party institutions Supervision takes signals from, kept in the sources table
/// (<see cref="SourceTable"/>). The sources file in the repository is applied on every start
/// (<see cref="ApplyFileAsync"/>): definitions are replaced, measured statistics and earned trust
/// are kept, and a source no longer in the file is disabled with that reason, never deleted. So
/// adding or removing a source is a reviewed change to that file.
/// </summary>
/// <remarks>
/// <see cref="ListAsync"/> and <see cref="FindAsync"/> give only enabled sources (the ones input is
/// taken from), so the scheduler and the pull never see a disabled one; operators' pages and
/// <see cref="FindRegisteredAsync"/> give every source with its status.
/// </remarks>
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

    /// <summary>
    /// Applies the sources file as the whole list: each source in it is registered or updated, and
    /// each registered source missing from it is disabled with that reason (kept, with its history).
    /// One that comes back is enabled again. A regulator's decision is left as it is.
    /// </summary>
    public async Task<int> ApplyFileAsync(IReadOnlyList<SourceDefinition> file, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var registered = await table.ListAsync(cancellationToken);
        await SeedAsync(file, registered, now, cancellationToken);
        var inFile = file.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var row in registered.Where(r => !inFile.Contains(r.Definition.Id)))
        {
            var status = SourceStatus.AfterFile(row.Status, null, now);
            if (status != row.Status)
            {
                await table.RecordFileStatusAsync(row.Definition.Id, status, cancellationToken);
                logger.LogWarning("Source {SourceId} is no longer in the sources file: disabled, kept with its history", row.Definition.Id);
            }
        }

        cache = null;
        return file.Count;
    }

    /// <summary>
    /// Registers or updates these sources and leaves every other source as it is: for tests and
    /// tools that add a source. The sources file goes through <see cref="ApplyFileAsync"/>.
    /// </summary>
    public async Task<int> SeedAsync(IReadOnlyList<SourceDefinition> definitions, CancellationToken cancellationToken)
    {
        await SeedAsync(definitions, await table.ListAsync(cancellationToken), time.GetUtcNow(), cancellationToken);
        cache = null;
        return definitions.Count;
    }

    private async Task SeedAsync(
        IReadOnlyList<SourceDefinition> definitions,
        IReadOnlyList<SourceRow> registered,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var current = registered.ToDictionary(r => r.Definition.Id, r => r.Status, StringComparer.Ordinal);
        foreach (var definition in definitions)
        {
            var status = SourceStatus.AfterFile(current.GetValueOrDefault(definition.Id), definition, now);
            await table.SeedAsync(definition, status, now, cancellationToken);
            if (!status.IsEnabled)
            {
                logger.LogInformation("Source {SourceId} is registered but disabled: {Reason}", definition.Id, status.Reason);
            }
        }

        logger.LogInformation("Source registry seeded with {Count} sources", definitions.Count);
    }

    /// <summary>The enabled sources: in the sources file, enabled there, and not suspended or revoked by a regulator.</summary>
    public async Task<IReadOnlyList<RegisteredSource>> ListAsync(CancellationToken cancellationToken) =>
        (await ListAllAsync(cancellationToken)).Where(s => s.Status.IsEnabled).ToList();

    private async Task<IReadOnlyList<RegisteredSource>> ListAllAsync(CancellationToken cancellationToken)
    {
        if (cache is { } fresh && time.GetUtcNow() - fresh.LoadedAt < CacheFor)
        {
            return fresh.Sources;
        }

        var sources = (await table.ListAsync(cancellationToken)).Select(Registered).ToList();
        cache = new Snapshot(sources, time.GetUtcNow());
        return sources;
    }

    /// <summary>One page of registered sources, by id, read from the table (not the cache).</summary>
    public async Task<ListPage<RegisteredSource>> PageAsync(PageRequest page, CancellationToken cancellationToken) =>
        (await table.PageAsync(page, cancellationToken)).Select(Registered);

    /// <summary>The source if it is enabled; null when it is disabled or unknown.</summary>
    public async Task<RegisteredSource?> FindAsync(string sourceId, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(s => s.Definition.Id == sourceId);

    /// <summary>The source whatever its status, read from the table (not the cache): to say why input from it is refused.</summary>
    public async Task<RegisteredSource?> FindRegisteredAsync(string sourceId, CancellationToken cancellationToken) =>
        await table.FindAsync(sourceId, cancellationToken) is { } row ? Registered(row) : null;

    /// <summary>Records what was measured and the trust it earns.</summary>
    public async Task RecordQualityAsync(SourceStatistics statistics, SourceTrust trust, CancellationToken cancellationToken)
    {
        await table.RecordQualityAsync(statistics, trust, time.GetUtcNow(), cancellationToken);
        cache = null;
    }

    private static RegisteredSource Registered(SourceRow row) =>
        new(row.Definition, row.Trust, row.TrustExplanation, row.StatisticsJson) { Status = row.Status };

    private sealed record SeedDocument(IReadOnlyList<SourceDefinition> Sources);

    private sealed record Snapshot(IReadOnlyList<RegisteredSource> Sources, DateTimeOffset LoadedAt);
}

/// <summary>A registered source with the trust its record has earned so far, and whether input is taken from it.</summary>
public sealed record RegisteredSource(SourceDefinition Definition, double EffectiveTrust, string? TrustExplanation, string? StatisticsJson)
{
    public SourceStatus Status { get; init; } = SourceStatus.Listed;
}
