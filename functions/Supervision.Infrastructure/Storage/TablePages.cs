using Azure.Data.Tables;
using Supervision.Domain.Paging;

namespace Supervision.Infrastructure.Storage;

/// <summary>
/// Reads one page of a table query in key order: at most the page's size plus one entity (that one
/// only tells whether a next page exists, and where it starts). The position is the partition and
/// row key of the page's first entity, so a page resumes exactly where the last one stopped, even
/// if rows were added or removed in between; nothing is read to be thrown away.
/// </summary>
public static class TablePages
{
    public static async Task<ListPage<T>> ReadPageAsync<T>(
        this TableClient table,
        string? filter,
        PageRequest page,
        CancellationToken cancellationToken,
        IEnumerable<string>? select = null)
        where T : class, ITableEntity
    {
        var query = And(filter, From(page.From));
        var columns = select?.ToList();
        var items = new List<T>(page.Size + 1);
        string? continuation = null;
        do
        {
            // One request at a time, each asking only for what is still missing: the service may
            // answer a request with fewer entities than asked (and a continuation), never with more.
            var want = page.Size + 1 - items.Count;
            var pages = table.QueryAsync<T>(query, want, columns, cancellationToken).AsPages(continuation, want);
            await foreach (var answer in pages)
            {
                items.AddRange(answer.Values.Take(want));
                continuation = answer.ContinuationToken;
                break;
            }
        }
        while (items.Count <= page.Size && continuation is not null);

        var next = items.Count > page.Size ? new[] { items[page.Size].PartitionKey, items[page.Size].RowKey } : null;
        return new ListPage<T>(items.Take(page.Size).ToList(), next);
    }

    private static string? From(IReadOnlyList<string>? position) => position switch
    {
        null => null,
        [var partition, var row] => TableClient.CreateQueryFilter(
            $"(PartitionKey gt {partition} or (PartitionKey eq {partition} and RowKey ge {row}))"),
        _ => throw new ArgumentException("a table position is a partition key and a row key", nameof(position)),
    };

    private static string? And(string? left, string? right) =>
        (left, right) switch
        {
            (null or "", _) => right,
            (_, null or "") => left,
            _ => $"({left}) and ({right})",
        };
}
