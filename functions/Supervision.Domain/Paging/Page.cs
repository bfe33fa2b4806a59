namespace Supervision.Domain.Paging;

/// <summary>
/// Which page to read: at most <see cref="Size"/> items, starting at <see cref="From"/> (the position
/// the previous page named as its next, or null for the first page). A position is the store's own:
/// for a table, the partition and row key of the first item of the page.
/// </summary>
public sealed record PageRequest(int Size, IReadOnlyList<string>? From = null)
{
    public static PageRequest First(int size) => new(size);
}

/// <summary>One page of a list: its items and where the next page starts (null on the last page).</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, IReadOnlyList<string>? Next)
{
    public ListPage<TOut> Select<TOut>(Func<T, TOut> map) => new(Items.Select(map).ToList(), Next);
}

/// <summary>The page sizes lists accept: a whole number from 1 to <see cref="Max"/>, <see cref="Default"/> when absent.</summary>
public static class PageSizes
{
    public const int Default = 50;
    public const int Max = 200;

    /// <summary>The size asked for, or the reason it is refused (a word, a fraction, zero, or above the maximum).</summary>
    public static (int Size, string? Problem) Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return (Default, null);
        }

        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size)
            && size is >= 1 and <= Max
            ? (size, null)
            : (0, $"pageSize '{text}' is not a whole number from 1 to {Max}; leave it out for {Default}.");
    }
}
