using System.Globalization;
using System.Text;

namespace Supervision.Domain.Enterprises;

/// <summary>
/// Reduces a company name to the part that identifies it: full-width folded to half-width, case
/// and punctuation removed, bracketed qualifiers such as （中国） or (Group) and legal-form words
/// such as 有限公司 or Co., Ltd. dropped. Says what it removed, so a match can be explained.
/// </summary>
public static class NameNormaliser
{
    // Bracketed words that qualify rather than identify: the country, the group, a province or city.
    private static readonly HashSet<string> Qualifiers = new(StringComparer.Ordinal)
    {
        "中国", "集团", "控股", "china", "group", "holding", "holdings", "prc", "hk", "hong kong",
        "北京", "上海", "天津", "重庆", "广东", "深圳", "广州", "浙江", "杭州", "江苏", "南京", "苏州", "福建", "厦门", "福州",
        "山东", "青岛", "河北", "河南", "湖北", "武汉", "湖南", "四川", "成都", "陕西", "西安", "辽宁", "大连", "吉林",
        "黑龙江", "安徽", "江西", "广西", "云南", "贵州", "海南", "山西", "内蒙古", "宁夏", "青海", "甘肃", "新疆", "西藏", "香港", "澳门",
    };

    // Words a spaced name may open with that are legal forms there (OAO Gazprom, PT Bank …).
    private const int MinimumLeadingFormLength = 3;

    public static string Normalise(string name) => Analyse(name).Normalised;

    /// <summary>The normalised name and what was removed on the way, for explanations.</summary>
    public static NormalisedName Analyse(string name)
    {
        var removed = new List<string>();
        var folded = Fold(name);
        var withoutQualifiers = RemoveBracketedQualifiers(folded, removed);
        var tokens = Tokens(withoutQualifiers);

        // Spaced scripts: drop legal-form word sequences at the end (and long ones at the start).
        StripLatinForms(tokens, removed);
        var compact = string.Concat(tokens);

        // Unspaced scripts: drop legal-form suffixes ("股份有限公司" before "有限公司" can leave "股份").
        var stripped = true;
        while (stripped)
        {
            stripped = false;
            foreach (var form in LegalForms.CjkForms)
            {
                if (compact.Length > form.Length && compact.EndsWith(form, StringComparison.Ordinal))
                {
                    compact = compact[..^form.Length];
                    removed.Add(form);
                    stripped = true;
                    break;
                }
            }
        }

        return new NormalisedName(compact, removed);
    }

    /// <summary>Folds free text the same way as names, without dropping words, so names can be found in it.</summary>
    public static string NormaliseText(string text)
    {
        // The hot path of ingestion (linking and fingerprints): one pass, no token list.
        var folded = text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        var buffer = folded.Length <= 2048 ? stackalloc char[folded.Length] : new char[folded.Length];
        var length = 0;
        foreach (var c in folded)
        {
            if (char.IsLetterOrDigit(c))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..length]);
    }

    /// <summary>Words of a folded name: punctuation is a separator, CJK runs stay whole.</summary>
    public static List<string> Tokens(string folded)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        foreach (var c in folded)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                tokens.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    public static bool IsCjk(char c) =>
        c is (>= '\u4E00' and <= '\u9FFF')
            or (>= '\u3400' and <= '\u4DBF')
            or (>= '\u3040' and <= '\u30FF')
            or (>= '\uAC00' and <= '\uD7AF');

    private static string Fold(string value) => value.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture);

    private static string RemoveBracketedQualifiers(string folded, List<string> removed)
    {
        var builder = new StringBuilder(folded.Length);
        var i = 0;
        while (i < folded.Length)
        {
            if (folded[i] is '(' or '[')
            {
                var close = folded.IndexOf(folded[i] == '(' ? ')' : ']', i + 1);
                if (close > i)
                {
                    var inner = folded[(i + 1)..close].Trim();
                    var words = string.Join(' ', Tokens(inner));
                    if (Qualifiers.Contains(inner)
                        || LegalForms.IsLatinForm(words)
                        || LegalForms.CjkForms.Contains(inner.Replace(" ", string.Empty, StringComparison.Ordinal)))
                    {
                        removed.Add(inner);
                        builder.Append(' ');
                        i = close + 1;
                        continue;
                    }
                }
            }

            builder.Append(folded[i]);
            i++;
        }

        return builder.ToString();
    }

    private static void StripLatinForms(List<string> tokens, List<string> removed)
    {
        var changed = true;
        while (changed && tokens.Count > 1)
        {
            changed = false;
            for (var length = Math.Min(LegalForms.MaxTokens, tokens.Count - 1); length >= 1; length--)
            {
                var suffix = string.Join(' ', tokens.Skip(tokens.Count - length));
                if (LegalForms.IsLatinForm(suffix))
                {
                    tokens.RemoveRange(tokens.Count - length, length);
                    removed.Add(suffix);
                    changed = true;
                    break;
                }

                var prefix = string.Join(' ', tokens.Take(length));
                if (prefix.Length >= MinimumLeadingFormLength && LegalForms.IsLatinForm(prefix))
                {
                    tokens.RemoveRange(0, length);
                    removed.Add(prefix);
                    changed = true;
                    break;
                }
            }
        }
    }
}

/// <summary>A name reduced to what identifies it, and the words removed to get there.</summary>
public sealed record NormalisedName(string Normalised, IReadOnlyList<string> Removed);
