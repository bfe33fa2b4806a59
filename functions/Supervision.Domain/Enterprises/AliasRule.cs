using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Supervision.Domain.Enterprises;

/// <summary>Why an alias was refused: a request that is not an alias at all, or one that would name another entity.</summary>
public enum AliasRefusalKind
{
    /// <summary>Empty, too long, too short to link by once normalised, or carrying the registry's list separator.</summary>
    Invalid,

    /// <summary>It names another registered enterprise, a branch, or a subsidiary.</summary>
    AnotherEntity,
}

/// <summary>A refused alias: the kind, and the reason in Chinese and English.</summary>
public sealed record AliasRefusal(AliasRefusalKind Kind, string Reason);

/// <summary>
/// Whether a name may become an alias of a registered enterprise. An alias makes the linker attach
/// every mention of that name to the enterprise, so a name that stands for a separate entity must
/// never become one: another registered enterprise's name or alias; a branch (分公司, 分行, 支行,
/// 分店, 营业部, 办事处, 分所, "Branch"), whose conduct is recorded against it by name; or a
/// subsidiary, a legal person of its own, recognised by a legal form of its own on the enterprise's
/// name plus more words ("…（中国）网络技术有限公司" beside "…（中国）有限公司") or plus a region in
/// brackets ("华夏示例食品（上海）有限公司" beside "华夏示例食品有限公司").
/// </summary>
public static class AliasRule
{
    /// <summary>The longest alias taken; registered names are far shorter.</summary>
    public const int MaxLength = 200;

    /// <summary>Normalised names shorter than this are not linked by (<see cref="EnterpriseLinker"/>), so not worth adding.</summary>
    public const int MinimumNormalisedLength = 3;

    /// <summary>Words that make a name a branch's: an establishment of a company, not the company.</summary>
    public static readonly IReadOnlyList<string> BranchWords = ["分公司", "分行", "支行", "分店", "营业部", "办事处", "分所"];

    private static readonly Regex EnglishBranch =
        new(@"\bbranch\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>
    /// Null when <paramref name="alias"/> may become an alias of <paramref name="target"/>.
    /// <paramref name="enterprisesNamed"/> gives the registered enterprises having a name whose
    /// normalised form (<see cref="NameNormaliser.Normalise"/>) is its argument.
    /// </summary>
    public static AliasRefusal? Check(Enterprise target, string alias, Func<string, IReadOnlyList<Enterprise>> enterprisesNamed)
    {
        var trimmed = alias.Trim();
        if (trimmed.Length == 0 || trimmed.Length > MaxLength || trimmed.Contains('|', StringComparison.Ordinal))
        {
            return Invalid($"别名须为 1 至 {MaxLength} 个字符且不含 '|' / an alias is 1 to {MaxLength} characters without '|'.");
        }

        var analysed = NameNormaliser.Analyse(trimmed);
        if (analysed.Normalised.Length < MinimumNormalisedLength)
        {
            return Invalid(
                $"别名「{trimmed}」去除组织形式后过短，无法用于关联 / '{trimmed}' is too short to link by once its legal form is removed "
                + $"(\"{analysed.Normalised}\").");
        }

        var folded = trimmed.Normalize(NormalizationForm.FormKC);
        var branch = BranchWords.FirstOrDefault(w => folded.Contains(w, StringComparison.Ordinal))
            ?? (EnglishBranch.IsMatch(folded) ? "Branch" : null);
        if (branch is not null)
        {
            return AnotherEntity(
                $"「{trimmed}」是分支机构名称（{branch}），不能作为{target.Name}的别名 / '{trimmed}' names a branch ({branch}); "
                + $"a branch is recorded under its own name, never as an alias of {target.Name}.");
        }

        if (enterprisesNamed(analysed.Normalised).FirstOrDefault(e => e.Uscc != target.Uscc) is { } other)
        {
            return AnotherEntity(
                $"「{trimmed}」已是另一家登记企业 {other.Name}（{other.Uscc}）的名称或别名 / '{trimmed}' is already a name of "
                + $"another registered enterprise, {other.Name} ({other.Uscc}).");
        }

        return HasLegalForm(analysed) ? SubsidiaryRefusal(target, trimmed, analysed, enterprisesNamed) : null;
    }

    private static AliasRefusal? SubsidiaryRefusal(
        Enterprise target, string alias, NormalisedName analysed, Func<string, IReadOnlyList<Enterprise>> enterprisesNamed)
    {
        var name = analysed.Normalised;
        var targetNames = target.AllNames().Select(NameNormaliser.Normalise).ToHashSet(StringComparer.Ordinal);

        // A registered name inside it with words beside: the enterprise's name plus a business of its own.
        for (var length = name.Length - 1; length >= MinimumNormalisedLength; length--)
        {
            for (var start = 0; start + length <= name.Length; start++)
            {
                var part = name.Substring(start, length);
                var parent = targetNames.Contains(part)
                    ? target
                    : enterprisesNamed(part).OrderBy(e => e.Uscc, StringComparer.Ordinal).FirstOrDefault();
                if (parent is not null)
                {
                    return AnotherEntity(
                        $"「{alias}」是在{parent.Name}的名称上另加字号并带有自己组织形式的企业（子公司）名称，不能作为{target.Name}的别名 / "
                        + $"'{alias}' names a subsidiary: {parent.Name}'s name plus more words, with a legal form of its own; "
                        + $"it is a separate legal person, never an alias of {target.Name}.");
                }
            }
        }

        // The same name with a region or country in brackets that none of the enterprise's names carries: a regional company.
        var qualifiers = Qualifiers(analysed);
        var own = target.AllNames().Select(NameNormaliser.Analyse).Where(n => n.Normalised == name).ToList();
        if (own.Count > 0 && qualifiers.Count > 0 && !own.Any(n => qualifiers.IsSubsetOf(Qualifiers(n))))
        {
            return AnotherEntity(
                $"「{alias}」在{target.Name}的名称上另加了地域（{string.Join("、", qualifiers)}）并带有自己的组织形式，是另一法人（子公司）"
                + $"的名称 / '{alias}' adds ({string.Join(", ", qualifiers)}) to {target.Name}'s name with a legal form of its own: "
                + "a subsidiary, a separate legal person.");
        }

        return null;
    }

    private static bool HasLegalForm(NormalisedName name) => name.Removed.Any(IsLegalForm);

    private static bool IsLegalForm(string removed) =>
        LegalForms.CjkForms.Contains(removed) || LegalForms.IsLatinForm(removed);

    private static HashSet<string> Qualifiers(NormalisedName name) =>
        name.Removed.Where(r => !IsLegalForm(r)).Select(r => r.ToLower(CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);

    private static AliasRefusal Invalid(string reason) => new(AliasRefusalKind.Invalid, reason);

    private static AliasRefusal AnotherEntity(string reason) => new(AliasRefusalKind.AnotherEntity, reason);
}
