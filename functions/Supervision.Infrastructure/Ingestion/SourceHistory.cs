using System.Globalization;
using Azure.Data.Tables;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// One hour of a source's record: measured at <see cref="At"/> (the last measurement within the
/// hour starting at <see cref="Hour"/>), its items so far and those new since the point before,
/// the median delay from publication to arrival, when its last item arrived and its last pull
/// succeeded (and how long before <see cref="At"/>), and the trust its record earned.
/// </summary>
public sealed record SourceHistoryPoint(
    DateTimeOffset At,
    DateTimeOffset Hour,
    long Items,
    long? NewItems,
    double? MedianDelaySeconds,
    DateTimeOffset? LastItemAt,
    double? SecondsSinceLastItem,
    DateTimeOffset? LastPullAt,
    double? SecondsSinceLastPull,
    double Trust);

/// <summary>
/// The owner of table <c>sourcehistory</c>: each source's record hour by hour, one partition per
/// source, one row per hour keyed by the hour inverted (newest first), so a measurement repeated
/// within the hour replaces that hour's row and a window of hours is one range of one partition.
/// Written wherever a source is measured (<see cref="SourceStatisticsReader.RefreshAsync"/>: the
/// MeasureSources timer every 10 minutes, and the operators' listing).
/// </summary>
public sealed class SourceHistory(SupervisionStorage storage, SourceCursorStore cursors)
{
    /// <summary>The longest window one read returns: 90 days of hours.</summary>
    public const int MaxHours = 90 * 24;

    private TableClient Table => storage.Table(StorageNames.Tables.SourceHistory);

    public static DateTimeOffset HourOf(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerHour), TimeSpan.Zero);

    /// <summary>Records the hour's point. Items newer than the last point's count mean an item arrived since it.</summary>
    public async Task RecordAsync(SourceStatistics statistics, SourceTrust trust, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var partition = TableExtensions.SafeKey(statistics.SourceId);
        TableEntity? latest = null;
        await foreach (var row in Table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), maxPerPage: 1, cancellationToken: cancellationToken))
        {
            latest = row;
            break;
        }

        var lastItemAt = latest is null
            ? null
            : statistics.Items > (latest.GetInt64("Items") ?? 0) ? now : latest.GetDateTimeOffset("LastItemAt");
        var cursor = await cursors.LoadAsync(statistics.SourceId, cancellationToken);
        await Table.UpsertEntityAsync(
            new TableEntity(partition, KeyOf(HourOf(now)))
            {
                ["At"] = now,
                ["Hour"] = HourOf(now),
                ["Items"] = (long)statistics.Items,
                ["MedianDelaySeconds"] = statistics.MedianDelaySeconds,
                ["LastItemAt"] = lastItemAt,
                ["LastPullAt"] = cursor.LastSuccessAt,
                ["Trust"] = trust.Weight,
            },
            TableUpdateMode.Replace,
            cancellationToken);
    }

    /// <summary>
    /// The points of the hours from <paramref name="from"/> to <paramref name="to"/>, oldest first: one range of one partition.
    /// </summary>
    public async Task<IReadOnlyList<SourceHistoryPoint>> ReadAsync(
        string sourceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var partition = TableExtensions.SafeKey(sourceId);
        var (newest, oldest) = (KeyOf(HourOf(to)), KeyOf(HourOf(from)));
        var rows = new List<TableEntity>();
        await foreach (var row in Table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {newest} and RowKey le {oldest}"),
            cancellationToken: cancellationToken))
        {
            rows.Add(row);
        }

        rows.Reverse();
        var points = new List<SourceHistoryPoint>(rows.Count);
        long? before = null;
        foreach (var row in rows)
        {
            var at = row.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue;
            var items = row.GetInt64("Items") ?? 0;
            var lastItem = row.GetDateTimeOffset("LastItemAt");
            var lastPull = row.GetDateTimeOffset("LastPullAt");
            points.Add(new SourceHistoryPoint(
                at,
                row.GetDateTimeOffset("Hour") ?? HourOf(at),
                items,
                before is { } b && items >= b ? items - b : null,
                row.GetDouble("MedianDelaySeconds"),
                lastItem,
                lastItem is { } i ? Math.Round((at - i).TotalSeconds) : null,
                lastPull,
                lastPull is { } p ? Math.Round((at - p).TotalSeconds) : null,
                row.GetDouble("Trust") ?? 0));
            before = items;
        }

        return points;
    }

    // Inverted ticks: the newest hour sorts first, so the latest point is the partition's first row.
    private static string KeyOf(DateTimeOffset hour) =>
        (DateTimeOffset.MaxValue.UtcTicks - hour.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
}
