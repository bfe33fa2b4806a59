using System.Diagnostics;
using Azure.Data.Tables;

namespace Supervision.Benchmarks;

/// <summary>
/// The scale benchmark's references: the same numbers of rows written and read on the same
/// Azurite with the bare Table client, no pipeline in between.
/// </summary>
internal static class RawRows
{
    /// <summary>Writes rows one upsert at a time with the given parallelism; returns seconds taken.</summary>
    public static async Task<double> WriteAsync(TableClient table, IEnumerable<TableEntity> rows, int parallelism)
    {
        await table.CreateIfNotExistsAsync();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (row, ct) =>
            await table.UpsertEntityAsync(row, TableUpdateMode.Replace, ct));
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Writes rows in transactions of up to 100 rows of one partition, one after another; returns seconds taken.</summary>
    public static async Task<double> WriteBatchedAsync(TableClient table, IEnumerable<TableEntity> rows)
    {
        await table.CreateIfNotExistsAsync();
        var clock = Stopwatch.StartNew();
        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                await table.SubmitTransactionAsync(
                    chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)));
            }
        }

        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Reads every row of the table; returns (rows, seconds).</summary>
    public static async Task<(int Rows, double Seconds)> ReadAllAsync(TableClient table)
    {
        var clock = Stopwatch.StartNew();
        var rows = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>())
        {
            rows++;
        }

        return (rows, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Counts a table's rows, reading keys only.</summary>
    public static async Task<int> CountAsync(TableClient table)
    {
        var rows = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(select: ["PartitionKey"]))
        {
            rows++;
        }

        return rows;
    }

    /// <summary>A row shaped like a pipeline row of about <paramref name="bytes"/> bytes of JSON.</summary>
    public static TableEntity Like(string partition, string row, int bytes) =>
        new(partition, row) { ["Json"] = new string('x', Math.Max(1, bytes)) };
}
