using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// The cases table's index rows, all derived from a case record: one row per case in each list it
/// belongs to (every case; its status; each department involved, with and without its status; its
/// enterprise), so each list reads one partition. Row keys order newest first (inverted opening
/// ticks, then the case id); each partition also holds a running count of its rows
/// (<see cref="CounterRow"/>), which sorts after every index row.
/// </summary>
public static class CaseIndex
{
    /// <summary>The counter row's key; index rows sort before it.</summary>
    public const string CounterRow = "~count";

    public const string CountColumn = "Count";

    /// <summary>
    /// The record's save number, on the record row and each index row: concurrent saves may write their
    /// index rows in any order, and an older save's row must not replace a newer one's.
    /// </summary>
    public const string VersionColumn = "Version";

    /// <summary>On a department's rows: its status in the case's current round, and its decision deadline.</summary>
    public const string DepartmentStatusColumn = "DepartmentStatus";

    public const string DeadlineColumn = "Deadline";

    public const string AllPartition = "all";

    public static string StatusPartition(CaseStatus status) => "status|" + status;

    public static string DepartmentPartition(string department, CaseStatus? status = null) =>
        status is null ? "dept|" + TableExtensions.SafeKey(department) : $"dept|{TableExtensions.SafeKey(department)}|{status}";

    public static string EnterprisePartition(string uscc) => "uscc|" + TableExtensions.SafeKey(uscc);

    /// <summary>The partition a filter reads.</summary>
    public static string PartitionOf(CaseFilter filter) => filter switch
    {
        { Uscc: { } uscc } => EnterprisePartition(uscc),
        { Department: { } department } => DepartmentPartition(department, filter.Status),
        { Status: { } status } => StatusPartition(status),
        _ => AllPartition,
    };

    /// <summary>Newest first: ticks counted down from the latest representable time, then the case id.</summary>
    public static string RowKeyOf(CaseRecord record) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{DateTimeOffset.MaxValue.UtcTicks - record.OpenedAt.UtcTicks:D19}|{TableExtensions.SafeKey(record.CaseId)}");

    /// <summary>Every index row of a case as its first save writes them (tools and tests that seed an index).</summary>
    public static IReadOnlyList<TableEntity> RowsFor(CaseRecord record) => RowsAt(record, 1);

    /// <summary>
    /// Every index row of a case, each carrying the case itself so a list page reads nothing else; a
    /// department's rows also carry that department's status and deadline as columns of their own.
    /// </summary>
    public static IReadOnlyList<TableEntity> RowsAt(CaseRecord record, long version)
    {
        var json = JsonSerializer.Serialize(record, MessageJson.Options);
        var row = RowKeyOf(record);
        TableEntity Row(string partition) => new(partition, row)
        {
            [nameof(JsonEntity.Json)] = json,
            ["Status"] = record.Status.ToString(),
            ["CaseId"] = record.CaseId,
            [VersionColumn] = version,
        };

        var rows = new List<TableEntity>
        {
            Row(AllPartition), Row(StatusPartition(record.Status)), Row(EnterprisePartition(record.Uscc)),
        };
        foreach (var department in record.Departments.Distinct(StringComparer.Ordinal))
        {
            foreach (var entity in new[] { Row(DepartmentPartition(department)), Row(DepartmentPartition(department, record.Status)) })
            {
                if (ReviewProgress.Current(record, department) is { } progress)
                {
                    entity[DepartmentStatusColumn] = progress.Status.ToString();
                    if (progress.Deadline is { } deadline)
                    {
                        entity[DeadlineColumn] = deadline;
                    }
                }

                rows.Add(entity);
            }
        }

        return rows;
    }

    /// <summary>Whether two index rows say the same (so an unchanged case writes nothing again).</summary>
    public static bool SameContent(TableEntity stored, TableEntity wanted) =>
        stored.GetString(nameof(JsonEntity.Json)) == wanted.GetString(nameof(JsonEntity.Json))
        && stored.GetString("Status") == wanted.GetString("Status")
        && stored.GetString(DepartmentStatusColumn) == wanted.GetString(DepartmentStatusColumn)
        && stored.GetDateTimeOffset(DeadlineColumn) == wanted.GetDateTimeOffset(DeadlineColumn);

    /// <summary>Whether the stored row was written by a later save than <paramref name="wanted"/> (and must stay).</summary>
    public static bool IsNewer(TableEntity stored, TableEntity wanted) =>
        (stored.GetInt64(VersionColumn) ?? 0) > (wanted.GetInt64(VersionColumn) ?? 0);
}
