namespace Supervision.Domain.Enterprises;

/// <summary>The outcome of linking: the enterprise with a score and why, or why none.</summary>
public sealed record LinkResult(Enterprise? Enterprise, double Score, string Explanation)
{
    public static LinkResult Unlinked(string reason) => new(null, 0, reason);

    public bool IsLinked => Enterprise is not null;
}
