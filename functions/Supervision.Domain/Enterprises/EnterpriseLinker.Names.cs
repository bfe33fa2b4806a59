namespace Supervision.Domain.Enterprises;

/// <summary>Who already bears a name: what the alias rule asks before a name becomes an alias.</summary>
public sealed partial class EnterpriseLinker
{
    /// <summary>The enterprises having a name whose normalised form is <paramref name="normalised"/>, by USCC.</summary>
    public IReadOnlyList<Enterprise> Named(string normalised) => Read(() =>
        byNormalisedName.TryGetValue(normalised, out var ids)
            ? ids.Select(id => names[id].Enterprise).DistinctBy(e => e.Uscc).OrderBy(e => e.Uscc, StringComparer.Ordinal).ToList()
            : []);
}
