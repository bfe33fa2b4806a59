namespace Supervision.Domain.Enterprises;

/// <summary>An enterprise under supervision, keyed by its unified social credit code.</summary>
public sealed record Enterprise(string Uscc, string Name, string? EnglishName, IReadOnlyList<string> Aliases)
{
    /// <summary>Names the enterprise was registered under before; news keeps using them for years.</summary>
    public IReadOnlyList<string> FormerNames { get; init; } = [];

    /// <summary>Why the code is flagged (a legacy pilot code failing its check character), if it is.</summary>
    public string? UsccFlag { get; init; }

    /// <summary>
    /// Aliases operators added through the API (<see cref="AliasRule"/> allowed each), kept apart from
    /// the registry file's own so that re-importing the file keeps them.
    /// </summary>
    public IReadOnlyList<AddedAlias> AddedAliases { get; init; } = [];

    /// <summary>Every name the enterprise is known by: registered, English, aliases, former names and added aliases.</summary>
    public IEnumerable<string> AllNames()
    {
        yield return Name;
        if (!string.IsNullOrWhiteSpace(EnglishName))
        {
            yield return EnglishName;
        }

        foreach (var alias in Aliases.Concat(FormerNames).Concat(AddedAliases.Select(a => a.Alias)))
        {
            yield return alias;
        }
    }
}

/// <summary>An alias an operator added, with who added it and when.</summary>
public sealed record AddedAlias(string Alias, string AddedBy, DateTimeOffset AddedAt);
