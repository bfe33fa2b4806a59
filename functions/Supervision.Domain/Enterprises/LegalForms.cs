using System.Reflection;

namespace Supervision.Domain.Enterprises;

/// <summary>
/// The legal-form words a company name carries beside what identifies it: 有限公司, 股份有限公司,
/// Co., Ltd., GmbH, OAO, Sp. z o.o. and some nineteen hundred more, in many languages. Loaded from
/// an embedded list derived from OpenSanctions' rigour (MIT).
/// </summary>
public static class LegalForms
{
    private static readonly Lazy<(HashSet<string> Latin, string[] Cjk, int MaxTokens)> Forms = new(Load);

    /// <summary>Forms written with spaces between words, normalised like <see cref="NameNormaliser.Tokens"/>.</summary>
    public static bool IsLatinForm(string tokens) => Forms.Value.Latin.Contains(tokens);

    /// <summary>Longest number of words in a spaced form, so suffix checks stay bounded.</summary>
    public static int MaxTokens => Forms.Value.MaxTokens;

    /// <summary>Forms in scripts written without spaces (Chinese, Japanese), longest first.</summary>
    public static IReadOnlyList<string> CjkForms => Forms.Value.Cjk;

    private static (HashSet<string>, string[], int) Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Supervision.Domain.Enterprises.legal-forms.txt")
            ?? throw new InvalidOperationException("the legal-forms resource is missing from Supervision.Domain");
        using var reader = new StreamReader(stream);
        var latin = new HashSet<string>(StringComparer.Ordinal);
        var cjk = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.Any(NameNormaliser.IsCjk))
            {
                cjk.Add(line.Replace(" ", string.Empty, StringComparison.Ordinal));
            }
            else
            {
                latin.Add(line);
            }
        }

        return (latin, cjk.Distinct().OrderByDescending(f => f.Length).ToArray(), latin.Max(f => f.Count(c => c == ' ') + 1));
    }
}
