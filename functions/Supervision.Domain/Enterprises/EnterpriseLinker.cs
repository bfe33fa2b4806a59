namespace Supervision.Domain.Enterprises;

/// <summary>
/// Finds which registered enterprise a piece of text is about. A text that names none, or names
/// several equally well, is left unlinked for an operator rather than guessed.
/// </summary>
/// <remarks>
/// The name index changes one enterprise at a time (<see cref="Upsert"/>, <see cref="Remove"/>), so
/// a registry of 100,000 names follows a change without being rebuilt. Results never depend on
/// the order enterprises were added in: ties are broken by USCC and by the name's place in the
/// enterprise's own list, so an index kept up to date change by change links exactly as one built
/// from scratch. Linking may run on many threads while one thread applies changes.
/// </remarks>
public sealed partial class EnterpriseLinker : IDisposable
{
    // Normalised names shorter than this match too much text to be evidence on their own.
    private const int MinimumNameLength = 3;

    private readonly ReaderWriterLockSlim gate = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<int, IndexedName> names = [];
    private readonly Dictionary<string, (Enterprise Enterprise, int[] NameIds)> byUscc = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<int>> byNormalisedName = new(StringComparer.Ordinal);

    // Every character pair of every name, for fuzzy matching; and each name's first pair, so text
    // linking tries only the names that start where the text has that pair.
    private readonly Dictionary<(char, char), HashSet<int>> byBigram = [];
    private readonly Dictionary<(char, char), HashSet<int>> byFirstBigram = [];
    private int nextId;

    public EnterpriseLinker(IEnumerable<Enterprise>? enterprises = null)
    {
        foreach (var enterprise in enterprises ?? [])
        {
            Upsert(enterprise);
        }
    }

    /// <summary>How many enterprises the index holds.</summary>
    public int Count => Read(() => byUscc.Count);

    public void Dispose() => gate.Dispose();

    /// <summary>The registered enterprise with this code, if the index holds it.</summary>
    public Enterprise? Find(string uscc) => Read(() => byUscc.TryGetValue(uscc, out var entry) ? entry.Enterprise : null);

    /// <summary>The USCC of every enterprise the index holds, as of now.</summary>
    public IReadOnlyList<string> Codes() => Read(() => byUscc.Keys.ToList());

    /// <summary>Adds an enterprise, or replaces every name of the one with the same USCC (a rename).</summary>
    public void Upsert(Enterprise enterprise)
    {
        var normalised = enterprise.AllNames()
            .Select((original, position) => new IndexedName(NameNormaliser.Normalise(original), original, enterprise, position))
            .Where(n => n.Normalised.Length >= MinimumNameLength)
            .ToList();
        Write(() =>
        {
            RemoveUnlocked(enterprise.Uscc);
            var ids = new int[normalised.Count];
            for (var i = 0; i < normalised.Count; i++)
            {
                ids[i] = Add(normalised[i]);
            }

            byUscc[enterprise.Uscc] = (enterprise, ids);
        });
    }

    /// <summary>Drops an enterprise and all its names; false if the index did not hold it.</summary>
    public bool Remove(string uscc)
    {
        var removed = false;
        Write(() => removed = RemoveUnlocked(uscc));
        return removed;
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

        return Read(() => MatchNameUnlocked(organisation, normalised));
    }

    public LinkResult Link(string text)
    {
        var haystack = NameNormaliser.NormaliseText(text);
        var hits = Read(() => NamesIn(haystack))
            .GroupBy(n => n.Enterprise.Uscc)
            .Select(g => g.OrderByDescending(n => n.Normalised.Length).ThenBy(n => n.Position).First())
            .OrderByDescending(n => n.Normalised.Length)
            .ThenBy(n => n.Enterprise.Uscc, StringComparer.Ordinal)
            .ToList();

        if (hits.Count == 0)
        {
            return LinkResult.Unlinked("no registered enterprise name or alias occurs in the text");
        }

        // A longer name that contains a shorter one wins ("华夏示例食品" over "华夏示例"); the
        // same name registered for two enterprises says nothing about which is meant.
        var best = hits[0];
        var rivals = hits.Skip(1)
            .Where(h => h.Normalised == best.Normalised || !best.Normalised.Contains(h.Normalised, StringComparison.Ordinal))
            .ToList();
        if (rivals.Count > 0)
        {
            var all = string.Join(", ", hits.Select(h => $"{h.Enterprise.Uscc} via \"{h.Original}\""));
            return LinkResult.Unlinked($"the text names more than one enterprise: {all}");
        }

        var score = Math.Min(1.0, best.Normalised.Length / 8.0);
        return new LinkResult(best.Enterprise, score, $"\"{best.Original}\" occurs in the text (normalised \"{best.Normalised}\")");
    }

    private (Enterprise Enterprise, double Score, string Why)? MatchNameUnlocked(string organisation, string normalised)
    {
        if (byNormalisedName.TryGetValue(normalised, out var exactIds))
        {
            var exact = exactIds.Select(id => names[id]).OrderBy(n => n.Enterprise.Uscc, StringComparer.Ordinal).ThenBy(n => n.Position)
                .ToList();
            return exact.Select(n => n.Enterprise.Uscc).Distinct().Count() == 1
                ? (exact[0].Enterprise, 1.0, $"\"{organisation}\" is \"{exact[0].Original}\" once normalised (\"{normalised}\")")
                : null;
        }

        // Only names sharing a character pair can reach the threshold; look at those alone.
        var candidates = new HashSet<int>();
        for (var j = 0; j < normalised.Length - 1; j++)
        {
            if (byBigram.TryGetValue((normalised[j], normalised[j + 1]), out var ids))
            {
                candidates.UnionWith(ids);
            }
        }

        var best = candidates
            .Select(id => (Name: names[id], Score: NameMatcher.Dice(normalised, names[id].Normalised)))
            .Where(c => c.Score >= NameMatcher.MatchThreshold)
            .OrderByDescending(c => c.Score)
            .ThenBy(c => c.Name.Enterprise.Uscc, StringComparer.Ordinal)
            .ThenBy(c => c.Name.Position)
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

    /// <summary>Every indexed name that occurs in the normalised text: exactly those <c>haystack.Contains</c> finds.</summary>
    private List<IndexedName> NamesIn(string haystack)
    {
        var found = new List<IndexedName>();
        var seen = new HashSet<int>();
        for (var j = 0; j < haystack.Length - 1; j++)
        {
            if (!byFirstBigram.TryGetValue((haystack[j], haystack[j + 1]), out var ids))
            {
                continue;
            }

            foreach (var id in ids)
            {
                var name = names[id].Normalised;
                if (j + name.Length <= haystack.Length
                    && string.CompareOrdinal(haystack, j, name, 0, name.Length) == 0
                    && seen.Add(id))
                {
                    found.Add(names[id]);
                }
            }
        }

        return found;
    }

    private int Add(IndexedName name)
    {
        var id = nextId++;
        names[id] = name;
        SetOf(byNormalisedName, name.Normalised).Add(id);
        SetOf(byFirstBigram, (name.Normalised[0], name.Normalised[1])).Add(id);
        for (var j = 0; j < name.Normalised.Length - 1; j++)
        {
            SetOf(byBigram, (name.Normalised[j], name.Normalised[j + 1])).Add(id);
        }

        return id;
    }

    private bool RemoveUnlocked(string uscc)
    {
        if (!byUscc.Remove(uscc, out var entry))
        {
            return false;
        }

        foreach (var id in entry.NameIds)
        {
            var name = names[id].Normalised;
            names.Remove(id);
            Unset(byNormalisedName, name, id);
            Unset(byFirstBigram, (name[0], name[1]), id);
            for (var j = 0; j < name.Length - 1; j++)
            {
                Unset(byBigram, (name[j], name[j + 1]), id);
            }
        }

        return true;
    }

    private static HashSet<int> SetOf<TKey>(Dictionary<TKey, HashSet<int>> index, TKey key)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var set))
        {
            index[key] = set = [];
        }

        return set;
    }

    // Empty sets are dropped so that a registry with much churn does not keep keys for names long gone.
    private static void Unset<TKey>(Dictionary<TKey, HashSet<int>> index, TKey key, int id)
        where TKey : notnull
    {
        if (index.TryGetValue(key, out var set) && set.Remove(id) && set.Count == 0)
        {
            index.Remove(key);
        }
    }

    private T Read<T>(Func<T> read)
    {
        gate.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    private void Write(Action write)
    {
        gate.EnterWriteLock();
        try
        {
            write();
        }
        finally
        {
            gate.ExitWriteLock();
        }
    }

    /// <summary>One name of one enterprise, normalised; Position is its place in <see cref="Enterprise.AllNames"/>.</summary>
    private sealed record IndexedName(string Normalised, string Original, Enterprise Enterprise, int Position);
}
