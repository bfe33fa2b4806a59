using System.Text.Json;
using Azure.Data.Tables;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// Counts each source's record from the per-item ledger and the quarantine records, and
/// stores the statistics and the trust they earn on the source's registry row. Counting from
/// rows keyed by item (rather than incrementing counters) is what keeps the figures right when
/// deliveries repeat.
/// </summary>
public sealed class SourceStatisticsReader(SupervisionStorage storage, SourceRegistry registry, TimeProvider time)
{
    public async Task<SourceStatistics> MeasureAsync(string sourceId, CancellationToken cancellationToken)
    {
        var partition = TableExtensions.SafeKey(sourceId);
        int items = 0, exact = 0, near = 0, linked = 0, unlinked = 0, confirmed = 0, notConfirmed = 0;
        var delays = new List<double>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        await foreach (var row in storage.Table(StorageNames.Tables.SeenItems).QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            items++;
            switch (row.GetString("Duplicate"))
            {
                case nameof(DuplicateKind.Exact): exact++; break;
                case nameof(DuplicateKind.Near): near++; break;
            }

            switch (row.GetBoolean("Linked"))
            {
                case true: linked++; break;
                case false: unlinked++; break;
            }

            switch (row.GetBoolean("Confirmed"))
            {
                case true: confirmed++; break;
                case false: notConfirmed++; break;
            }

            if (row.GetDateTimeOffset("PublishedAt") is { } published && row.GetDateTimeOffset("ArrivedAt") is { } arrived && arrived >= published)
            {
                delays.Add((arrived - published).TotalSeconds);
            }
        }

        var quarantined = 0;
        await foreach (var _ in storage.Table(StorageNames.Tables.Quarantine).QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            quarantined++;
        }

        delays.Sort();
        double? median = delays.Count == 0 ? null : delays[delays.Count / 2];
        return new SourceStatistics(sourceId, items, exact, near, linked, unlinked, median, quarantined, confirmed, notConfirmed);
    }

    /// <summary>Measures every source not measured within <paramref name="maxAge"/> and records its trust.</summary>
    public async Task RefreshStaleAsync(TimeSpan maxAge, CancellationToken cancellationToken)
    {
        var rows = storage.Table(StorageNames.Tables.Sources);
        foreach (var source in await registry.ListAsync(cancellationToken))
        {
            var row = await rows.FindAsync<SourceEntity>(SourceEntity.Partition, source.Definition.Id, cancellationToken);
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
