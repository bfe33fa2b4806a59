using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Portraits;

/// <summary>
/// Which portraits change by themselves on which day (table <c>portraitsdue</c>): one row per
/// enterprise, partition = the UTC day of its portrait's next change (<c>yyyyMMdd</c>), row = USCC,
/// so the daily reassessment reads one partition per day instead of every portrait. A cursor row
/// remembers the first day not yet taken, so a timer that missed days reads each of them once.
/// </summary>
public sealed class PortraitDueIndex(SupervisionStorage storage)
{
    private const string CursorPartition = "cursor";
    private const string CursorRow = "next-day";
    private const string ChangeAtProperty = "ChangeAt";
    private const string DayProperty = "Day";

    /// <summary>With no cursor yet (the first run), how far back to look: rows are only ever written for today or later.</summary>
    private static readonly TimeSpan FirstLookBack = TimeSpan.FromDays(7);

    private TableClient Table => storage.Table(StorageNames.Tables.PortraitsDue);

    /// <summary>
    /// Moves the enterprise's due row from its previous portrait's day to its new one's. The new row
    /// is written before the old one is removed, and both writes are idempotent, so a redelivered
    /// reassessment leaves exactly one row. A crash between a portrait's save and this call can
    /// leave the previous day's row behind: it costs one harmless reassessment on that day, after
    /// which the timer removes it.
    /// </summary>
    public async Task MoveAsync(string uscc, DateTimeOffset? previous, DateTimeOffset? next, CancellationToken cancellationToken)
    {
        if (next is { } at)
        {
            var row = new TableEntity(Day(at), uscc) { [ChangeAtProperty] = at };
            await Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
        }

        if (previous is { } old && (next is null || Day(old) != Day(next.Value)))
        {
            await DeleteAsync(Day(old), uscc, ETag.All, cancellationToken);
        }
    }

    /// <summary>
    /// The rows whose change has come by <paramref name="now"/>, from the cursor's day to today, one
    /// partition read per day. Rows later today stay for the next run.
    /// </summary>
    public async Task<IReadOnlyList<DuePortrait>> DueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var due = new List<DuePortrait>();
        for (var day = await FirstDayAsync(today, cancellationToken); day <= today; day = day.AddDays(1))
        {
            var partition = Day(day);
            await foreach (var row in Table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, cancellationToken: cancellationToken))
            {
                if (row.GetDateTimeOffset(ChangeAtProperty) is not { } at || at <= now)
                {
                    due.Add(new DuePortrait(row.RowKey, partition, row.ETag));
                }
            }
        }

        return due;
    }

    /// <summary>Removes a row taken by the timer, unless a reassessment rewrote it since it was read (then it is due again).</summary>
    public Task RemoveAsync(DuePortrait due, CancellationToken cancellationToken) =>
        DeleteAsync(due.Day, due.Uscc, due.ETag, cancellationToken);

    /// <summary>Records that every day before <paramref name="today"/> has been taken.</summary>
    public Task AdvanceAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Table.UpsertEntityAsync(
            new TableEntity(CursorPartition, CursorRow) { [DayProperty] = Day(DateOnly.FromDateTime(now.UtcDateTime)) },
            TableUpdateMode.Replace,
            cancellationToken);

    /// <summary>The enterprises due on one day, for tests and operators.</summary>
    public async Task<IReadOnlyList<string>> OnDayAsync(DateOnly day, CancellationToken cancellationToken)
    {
        var partition = Day(day);
        var usccs = new List<string>();
        var rows = Table.QueryAsync<TableEntity>(
            e => e.PartitionKey == partition, select: ["RowKey"], cancellationToken: cancellationToken);
        await foreach (var row in rows)
        {
            usccs.Add(row.RowKey);
        }

        return usccs;
    }

    private static string Day(DateTimeOffset at) => Day(DateOnly.FromDateTime(at.UtcDateTime));

    private static string Day(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private async Task<DateOnly> FirstDayAsync(DateOnly today, CancellationToken cancellationToken)
    {
        var cursor = await Table.FindAsync<TableEntity>(CursorPartition, CursorRow, cancellationToken);
        var fallback = today.AddDays(-(int)FirstLookBack.TotalDays);
        return cursor?.GetString(DayProperty) is { } day
            && DateOnly.TryParseExact(day, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? parsed
            : fallback;
    }

    private async Task DeleteAsync(string day, string uscc, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(day, uscc, etag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Already gone, or rewritten since it was read: either way not ours to remove.
        }
    }
}

/// <summary>One enterprise due for reassessment: its USCC, the day partition it was found in, and the row's version.</summary>
public sealed record DuePortrait(string Uscc, string Day, ETag ETag);
