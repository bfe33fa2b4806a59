using System.Text.Json;

namespace Supervision.Trainer.Evaluation;

/// <summary>
/// An AFINN-style lexicon baseline: the sum of the scores of the words a text contains. English
/// is split into lower-case words and matches phrases of up to three words first; Chinese has no
/// spaces, so entries are found by forward maximum matching (the longest entry at each position).
/// No negation handling: the packages these lexicons come from add little of it, and the
/// baseline is meant to be the plain lexicon.
/// </summary>
public sealed class Lexicon
{
    private readonly Dictionary<string, int> entries;
    private readonly bool chinese;
    private readonly int longest;

    private Lexicon(string name, Dictionary<string, int> entries, bool chinese)
    {
        Name = name;
        this.entries = entries;
        this.chinese = chinese;
        longest = entries.Keys.Max(k => k.Length);
    }

    public string Name { get; }

    public int Count => entries.Count;

    public static Lexicon Load(string path, string name, bool chinese)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var entries = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            entries[property.Name.ToLowerInvariant()] = property.Value.GetInt32();
        }

        return new Lexicon(name, entries, chinese);
    }

    /// <summary>The lexicon's sum for a text: below zero reads as adverse.</summary>
    public int Score(string text) => chinese ? ScoreByMaximumMatching(text.ToLowerInvariant()) : ScoreWords(text);

    private int ScoreWords(string text)
    {
        var words = Words(text);
        var total = 0;
        for (var i = 0; i < words.Count;)
        {
            var matched = false;
            for (var length = Math.Min(3, words.Count - i); length >= 1 && !matched; length--)
            {
                if (entries.TryGetValue(string.Join(' ', words.Skip(i).Take(length)), out var value))
                {
                    total += value;
                    i += length;
                    matched = true;
                }
            }

            if (!matched)
            {
                i++;
            }
        }

        return total;
    }

    private int ScoreByMaximumMatching(string text)
    {
        var total = 0;
        for (var i = 0; i < text.Length;)
        {
            var step = 1;
            for (var length = Math.Min(longest, text.Length - i); length >= 1; length--)
            {
                if (entries.TryGetValue(text.Substring(i, length), out var value))
                {
                    total += value;
                    step = length;
                    break;
                }
            }

            i += step;
        }

        return total;
    }

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] is '\'' or '-');
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant().Trim('\'', '-'));
                start = -1;
            }
        }

        return words;
    }
}
