using System.Text.Json;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// Reads each source's record from the running counters kept beside its ledger rows, and stores
/// the statistics and the trust they earn on the source's registry row. The counters move only in
/// the same table transaction as the ledger row whose change causes them
/// (<see cref="ItemLedger"/>), which is what keeps them right when deliveries repeat; reading
/// them costs one query per source, however many items it has sent.
/// </summary>
/// <remarks>
/// A source whose counters were never completed (a deployment from before counters existed) is
/// counted once from its rows and quarantine records by a backfill, then maintained.
/// <see cref="RecountAsync"/> counts afresh from every row: the repair and verification path,
/// never used by the operator's listing or the timer.
/// </remarks>
public sealed class SourceStatisticsReader(
    ItemLedger ledger, Quarantine quarantine, SourceTable sources, SourceRegistry registry, SourceHistory history, TimeProvider time)
{
    /// <summary>The source's record from its running counters (backfilling them first if they never were).</summary>
    public async Task<SourceStatistics> MeasureAsync(string sourceId, CancellationToken cancellationToken)
    {
        var (tally, complete) = await ledger.CountersAsync(sourceId, cancellationToken);
        if (!complete)
        {
            await ledger.BackfillCountersAsync(sourceId, await quarantine.HashesAsync(sourceId, cancellationToken), cancellationToken);
            (tally, _) = await ledger.CountersAsync(sourceId, cancellationToken);
        }

        return tally.ToStatistics(sourceId);
    }

    /// <summary>
    /// The source's record counted afresh from every ledger row and quarantine record: what the
    /// counters must equal. Reads the whole partition, so only for verification and repair.
    /// </summary>
    public async Task<SourceStatistics> RecountAsync(string sourceId, CancellationToken cancellationToken)
    {
        var tally = await ledger.RecountAsync(sourceId, cancellationToken);
        // The quarantine table is the operator's record of what was quarantined; the ledger's
        // markers must agree with it, so the recount takes it from there.
        tally.Quarantined = (await quarantine.HashesAsync(sourceId, cancellationToken)).Count;
        return tally.ToStatistics(sourceId);
    }

    /// <summary>
    /// What the MeasureSources timer (every 10 minutes) passes to <see cref="RefreshStaleAsync"/>:
    /// under its period, so each tick measures every source, yet a duplicate fire measures nothing again.
    /// </summary>
    public static readonly TimeSpan RemeasureAfter = TimeSpan.FromMinutes(5);

    /// <summary>Sources measured at once by <see cref="RefreshStaleAsync"/>: each reads a handful of counter rows.</summary>
    private const int MeasuresAtOnce = 8;

    /// <summary>
    /// Measures every source not measured within <paramref name="maxAge"/> and records its trust:
    /// the MeasureSources timer's work. When each was measured comes with the one query that lists
    /// the sources; the stale ones are then measured side by side, a few at a time.
    /// </summary>
    public async Task RefreshStaleAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stale = (await sources.ListAsync(cancellationToken))
            .Where(row => row.MeasuredAt is not { } measured || now - measured >= maxAge)
            .Select(row => new RegisteredSource(row.Definition, row.Trust, row.TrustExplanation, row.StatisticsJson))
            .ToList();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = MeasuresAtOnce, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(stale, parallel, async (source, ct) => await RefreshAsync(source, ct));
    }

    public async Task<SourceReport> RefreshAsync(RegisteredSource source, CancellationToken cancellationToken)
    {
        var statistics = await MeasureAsync(source.Definition.Id, cancellationToken);
        var trust = SourceQuality.Trust(source.Definition.TrustWeight, statistics);
        await registry.RecordQualityAsync(statistics, trust, cancellationToken);
        await history.RecordAsync(statistics, trust, time.GetUtcNow(), cancellationToken);
        return new SourceReport(source.Definition, statistics, trust);
    }
}

/// <summary>A source as an operator sees it: what it is, its measured record and its earned trust.</summary>
public sealed record SourceReport(SourceDefinition Definition, SourceStatistics Statistics, SourceTrust Trust)
{
    public string ToJson() => JsonSerializer.Serialize(this, SourceRegistry.JsonOptions);
}
