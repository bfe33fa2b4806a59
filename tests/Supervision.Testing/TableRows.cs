using Azure.Data.Tables;

namespace Supervision.Testing;

/// <summary>Reads a whole partition, for assertions on what the pipeline stored.</summary>
public static class TableRows
{
    public static async Task<List<TableEntity>> InPartitionAsync(this TableClient table, string partition)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition))
        {
            rows.Add(row);
        }

        return rows;
    }
}
