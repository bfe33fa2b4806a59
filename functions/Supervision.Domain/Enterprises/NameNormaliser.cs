using System.Globalization;
using System.Text;

namespace Supervision.Domain.Enterprises;

/// <summary>
/// Reduces a company name to the part that identifies it: full-width folded to half-width,
/// case and spacing removed, bracketed qualifiers and legal-form words dropped.
/// </summary>
public static class NameNormaliser
{
    // Longest first, so "股份有限公司" is removed before "有限公司" could leave "股份" behind.
    private static readonly string[] LegalForms =
    [
        "股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司",
        "co.,ltd.", "co.,ltd", "co.ltd.", "co.ltd", "company limited", "corporation", "limited", "co.", "ltd.", "ltd", "inc.", "inc", "corp.", "plc", "llc",
    ];

    private static readonly string[] Qualifiers = ["(中国)", "(china)", "(集团)", "(group)"];

    public static string Normalise(string name)
    {
        var folded = name.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture);
        foreach (var qualifier in Qualifiers)
        {
            folded = folded.Replace(qualifier, string.Empty, StringComparison.Ordinal);
        }

        var compact = RemoveWhitespace(folded);
        foreach (var form in LegalForms)
        {
            var formCompact = RemoveWhitespace(form);
            if (compact.Length > formCompact.Length && compact.EndsWith(formCompact, StringComparison.Ordinal))
            {
                compact = compact[..^formCompact.Length].TrimEnd(',', '.');
            }
        }

        return compact;
    }

    /// <summary>Folds free text the same way as names, without dropping words, so names can be found in it.</summary>
    public static string NormaliseText(string text) =>
        RemoveWhitespace(text.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture));

    private static string RemoveWhitespace(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (!char.IsWhiteSpace(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
