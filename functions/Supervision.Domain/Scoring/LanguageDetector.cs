namespace Supervision.Domain.Scoring;

/// <summary>The languages the polarity models read.</summary>
public enum TextLanguage
{
    English,
    Chinese,
}

/// <summary>
/// Picks the polarity model for a text by its script: Han characters mean the Chinese model,
/// Latin letters the English one. Chinese news mixes in Latin (brand names, "AEO", "ISO9001"),
/// so one Han character in ten letters is enough to call a text Chinese; a text with neither
/// script (digits, emoji) goes to English, whose model has the larger vocabulary of symbols.
/// </summary>
public static class LanguageDetector
{
    public static TextLanguage Detect(ReadOnlySpan<char> text)
    {
        int han = 0, latin = 0;
        foreach (var c in text)
        {
            if (IsHan(c))
            {
                han++;
            }
            else if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z'))
            {
                latin++;
            }
        }

        return han > 0 && han * 10 >= latin ? TextLanguage.Chinese : TextLanguage.English;
    }

    public static string Code(TextLanguage language) => language == TextLanguage.Chinese ? "zh" : "en";

    /// <summary>
    /// CJK unified ideographs, extension A and compatibility ideographs (surrogate pairs of the
    /// rarer extensions are not counted).
    /// </summary>
    private static bool IsHan(char c) =>
        c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\uF900' and <= '\uFAFF');
}
