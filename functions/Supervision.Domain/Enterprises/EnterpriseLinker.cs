namespace Supervision.Domain.Enterprises;

/// <summary>
/// Finds which registered enterprise a piece of text is about. A text that names none, or names
/// several equally well, is left unlinked for an operator rather than guessed.
/// </summary>
public sealed class EnterpriseLinker
{
    // Normalised names shorter than this match too much text to be evidence on their own.
    private const int MinimumNameLength = 3;

    private readonly List<(string Normalised, string Original, Enterprise Enterprise)> names;
    private readonly Dictionary<string, List<(string Original, Enterprise Enterprise)>> byNormalisedName;
    private readonly Dictionary<(char, char), List<int>> byBigram = [];

    public EnterpriseLinker(IEnumerable<Enterprise> enterprises)
    {
        names = enterprises
            .SelectMany(e => e.AllNames().Select(n => (Normalised: NameNormaliser.Normalise(n), Original: n, Enterprise: e)))
            .Where(n => n.Normalised.Length >= MinimumNameLength)
            .ToList();
        byNormalisedName = names
            .GroupBy(n => n.Normalised, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(n => (n.Original, n.Enterprise)).ToList(), StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i].Normalised;
            for (var j = 0; j < name.Length - 1; j++)
            {
                var gram = (name[j], name[j + 1]);
                if (!byBigram.TryGetValue(gram, out var list))
                {
                    byBigram[gram] = list = [];
                }

                if (list.Count == 0 || list[^1] != i)
                {
                    list.Add(i);
                }
            }
        }
    }

    /// <summary>
    /// Links a mention that names organisations outright (GDELT, credit bureaus): each name is
    /// matched against the registry by <see cref="NameMatcher"/>. One enterprise is a link;
    /// several are ambiguous and none is unlinked, both left for an operator.
    /// </summary>
    public LinkResult LinkOrganisations(IReadOnlyList<string> organisations)
    {
        var found = new List<(Enterprise Enterprise, double Score, string Why)>();
        foreach (var organisation in organisations)
        {
            if (MatchName(organisation) is { } match)
            {
                found.Add(match);
            }
        }

        var distinct = found.GroupBy(f => f.Enterprise.Uscc).Select(g => g.MaxBy(f => f.Score)).ToList();
        return distinct.Count switch
        {
            0 => LinkResult.Unlinked($"none of the {organisations.Count} organisations named matches a registered enterprise"),
            1 => new LinkResult(distinct[0].Enterprise, distinct[0].Score, distinct[0].Why),
            _ => LinkResult.Unlinked(
                "the organisations named match more than one enterprise: "
                + string.Join(", ", distinct.Select(d => $"{d.Enterprise.Uscc} ({d.Why})"))),
        };
    }

    /// <summary>The registered enterprise one name stands for, if exactly one matches well enough.</summary>
    public (Enterprise Enterprise, double Score, string Why)? MatchName(string organisation)
    {
        var normalised = NameNormaliser.Normalise(organisation);
        if (normalised.Length < MinimumNameLength)
        {
            return null;
        }

        if (byNormalisedName.TryGetValue(normalised, out var exact))
        {
            var enterprises = exact.Select(e => e.Enterprise).DistinctBy(e => e.Uscc).ToList();
            return enterprises.Count == 1
                ? (enterprises[0], 1.0, $"\"{organisation}\" is \"{exact[0].Original}\" once normalised (\"{normalised}\")")
                : null;
        }

        // Only names sharing a character pair can reach the threshold; look at those alone.
        var candidates = new HashSet<int>();
        for (var j = 0; j < normalised.Length - 1; j++)
        {
            if (byBigram.TryGetValue((normalised[j], normalised[j + 1]), out var list))
            {
                candidates.UnionWith(list);
            }
        }

        var best = candidates
            .Select(i => (Name: names[i], Score: NameMatcher.Dice(normalised, names[i].Normalised)))
            .Where(c => c.Score >= NameMatcher.MatchThreshold)
            .OrderByDescending(c => c.Score)
            .ToList();
        if (best.Count == 0 || best.Select(b => b.Name.Enterprise.Uscc).Distinct().Count() > 1 && best[0].Score - best[1].Score < 0.05)
        {
            return null;
        }

        return (
            best[0].Name.Enterprise,
            best[0].Score,
            $"\"{organisation}\" resembles \"{best[0].Name.Original}\" ({best[0].Score:P0} of character pairs shared)");
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
