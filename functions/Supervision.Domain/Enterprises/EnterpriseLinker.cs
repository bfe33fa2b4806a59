namespace Supervision.Domain.Enterprises;

/// <summary>
/// Finds which registered enterprise a piece of text is about. A text that names none, or names
/// several equally well, is left unlinked for an operator rather than guessed.
/// </summary>
public sealed class EnterpriseLinker
{
    // Normalised names shorter than this match too much text to be evidence on their own.
    private const int MinimumNameLength = 3;

    private readonly IReadOnlyList<(string Normalised, string Original, Enterprise Enterprise)> names;

    public EnterpriseLinker(IEnumerable<Enterprise> enterprises)
    {
        names = enterprises
            .SelectMany(e => e.AllNames().Select(n => (Normalised: NameNormaliser.Normalise(n), Original: n, Enterprise: e)))
            .Where(n => n.Normalised.Length >= MinimumNameLength)
            .ToList();
    }

    public LinkResult Link(string text)
    {
        var haystack = NameNormaliser.NormaliseText(text);
        var hits = names
            .Where(n => haystack.Contains(n.Normalised, StringComparison.Ordinal))
            .GroupBy(n => n.Enterprise.Uscc)
            .Select(g => g.OrderByDescending(n => n.Normalised.Length).First())
            .OrderByDescending(n => n.Normalised.Length)
            .ToList();

        if (hits.Count == 0)
        {
            return LinkResult.Unlinked("no registered enterprise name or alias occurs in the text");
        }

        // A longer name that contains a shorter one wins ("华夏示例食品" over "华夏示例").
        var best = hits[0];
        var rivals = hits.Skip(1).Where(h => !best.Normalised.Contains(h.Normalised, StringComparison.Ordinal)).ToList();
        if (rivals.Count > 0)
        {
            var all = string.Join(", ", hits.Select(h => $"{h.Enterprise.Uscc} via \"{h.Original}\""));
            return LinkResult.Unlinked($"the text names more than one enterprise: {all}");
        }

        var score = Math.Min(1.0, best.Normalised.Length / 8.0);
        return new LinkResult(best.Enterprise, score, $"\"{best.Original}\" occurs in the text (normalised \"{best.Normalised}\")");
    }
}

/// <summary>The outcome of linking: the enterprise with a score and why, or why none.</summary>
public sealed record LinkResult(Enterprise? Enterprise, double Score, string Explanation)
{
    public static LinkResult Unlinked(string reason) => new(null, 0, reason);

    public bool IsLinked => Enterprise is not null;
}
