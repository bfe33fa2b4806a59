namespace Supervision.Domain.Enterprises;

/// <summary>An enterprise under supervision, keyed by its unified social credit code.</summary>
public sealed record Enterprise(string Uscc, string Name, string? EnglishName, IReadOnlyList<string> Aliases)
{
    /// <summary>Every name the enterprise is known by: registered, English and aliases.</summary>
    public IEnumerable<string> AllNames()
    {
        yield return Name;
        if (!string.IsNullOrWhiteSpace(EnglishName))
        {
            yield return EnglishName;
        }

        foreach (var alias in Aliases)
        {
            yield return alias;
        }
    }
}
