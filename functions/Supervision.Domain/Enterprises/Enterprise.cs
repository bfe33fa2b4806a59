namespace Supervision.Domain.Enterprises;

/// <summary>An enterprise under supervision, keyed by its unified social credit code.</summary>
public sealed record Enterprise(string Uscc, string Name, string? EnglishName, IReadOnlyList<string> Aliases)
{
    /// <summary>Names the enterprise was registered under before; news keeps using them for years.</summary>
    public IReadOnlyList<string> FormerNames { get; init; } = [];

    /// <summary>Why the code is flagged (a legacy pilot code failing its check character), if it is.</summary>
    public string? UsccFlag { get; init; }

    /// <summary>Every name the enterprise is known by: registered, English and aliases.</summary>
    public IEnumerable<string> AllNames()
    {
        yield return Name;
        if (!string.IsNullOrWhiteSpace(EnglishName))
        {
            yield return EnglishName;
        }

        foreach (var alias in Aliases.Concat(FormerNames))
        {
            yield return alias;
        }
    }
}
