using System.Text.Json;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// Counts each source's record from the per-item ledger and the quarantine records, and
/// stores the statistics and the trust they earn on the source's registry row. Counting from
/// rows keyed by item (rather than incrementing counters) is what keeps the figures right when
/// deliveries repeat.
/// </summary>
public sealed class SourceStatisticsReader(
    ItemLedger ledger, Quarantine quarantine, SourceTable sources, SourceRegistry registry, TimeProvider time)
{
    public async Task<SourceStatistics> MeasureAsync(string sourceId, CancellationToken cancellationToken)
    {
        int items = 0, exact = 0, near = 0, linked = 0, unlinked = 0, confirmed = 0, notConfirmed = 0;
        var delays = new List<double>();
        await foreach (var row in ledger.OfSourceAsync(sourceId, cancellationToken))
        {
            items++;
            switch (row.Duplicate)
            {
                case DuplicateKind.Exact: exact++; break;
                case DuplicateKind.Near: near++; break;
            }

            switch (row.Linked)
            {
                case true: linked++; break;
                case false: unlinked++; break;
            }

            switch (row.Confirmed)
            {
                case true: confirmed++; break;
                case false: notConfirmed++; break;
            }

            if (row.PublishedAt is { } published && row.ArrivedAt is { } arrived && arrived >= published)
            {
                delays.Add((arrived - published).TotalSeconds);
            }
        }

        var quarantined = await quarantine.CountAsync(sourceId, cancellationToken);
        delays.Sort();
        double? median = delays.Count == 0 ? null : delays[delays.Count / 2];
        return new SourceStatistics(sourceId, items, exact, near, linked, unlinked, median, quarantined, confirmed, notConfirmed);
    }

    /// <summary>Measures every source not measured within <paramref name="maxAge"/> and records its trust.</summary>
    public async Task RefreshStaleAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        foreach (var source in await registry.ListAsync(cancellationToken))
        {
            var row = await sources.FindAsync(source.Definition.Id, cancellationToken);
            if (row?.MeasuredAt is { } measured && time.GetUtcNow() - measured < maxAge)
            {
                continue;
            }

            await RefreshAsync(source, cancellationToken);
        }
    }

    public async Task<SourceReport> RefreshAsync(RegisteredSource source, CancellationToken cancellationToken)
    {
        var statistics = await MeasureAsync(source.Definition.Id, cancellationToken);
        var trust = SourceQuality.Trust(source.Definition.TrustWeight, statistics);
        await registry.RecordQualityAsync(statistics, trust, cancellationToken);
        return new SourceReport(source.Definition, statistics, trust);
    }
}

/// <summary>A source as an operator sees it: what it is, its measured record and its earned trust.</summary>
public sealed record SourceReport(SourceDefinition Definition, SourceStatistics Statistics, SourceTrust Trust)
{
    public string ToJson() => JsonSerializer.Serialize(this, SourceRegistry.JsonOptions);
}
