namespace Supervision.Domain.Enterprises;

/// <summary>
/// Compares two company names. Identical once normalised is a match of 1; otherwise the score is
/// the Dice coefficient of the names' character bigrams, which works the same for Chinese (no
/// word boundaries) and for Latin scripts, and tolerates a letter's difference in long names
/// while keeping short different names apart.
/// </summary>
public static class NameMatcher
{
    /// <summary>Scores at or above this are taken as the same enterprise.</summary>
    public const double MatchThreshold = 0.8;

    public static NameMatch Compare(string left, string right)
    {
        var a = NameNormaliser.Analyse(left);
        var b = NameNormaliser.Analyse(right);
        if (a.Normalised.Length == 0 || b.Normalised.Length == 0)
        {
            return new NameMatch(0, "a name is empty once legal forms are removed");
        }

        var removed = a.Removed.Concat(b.Removed).Distinct().ToList();
        var why = removed.Count == 0 ? string.Empty : $" after removing {string.Join(", ", removed.Select(r => $"\"{r}\""))}";
        if (a.Normalised == b.Normalised)
        {
            return new NameMatch(1, $"same name \"{a.Normalised}\"{why}");
        }

        var score = Dice(a.Normalised, b.Normalised);
        return new NameMatch(score, $"\"{a.Normalised}\" and \"{b.Normalised}\" share {score:P0} of their character pairs{why}");
    }

    internal static double Dice(string a, string b)
    {
        if (a.Length < 2 || b.Length < 2)
        {
            return a == b ? 1 : 0;
        }

        var left = Bigrams(a);
        var right = Bigrams(b);
        var shared = 0;
        foreach (var (gram, count) in left)
        {
            if (right.TryGetValue(gram, out var other))
            {
                shared += Math.Min(count, other);
            }
        }

        return 2.0 * shared / (a.Length - 1 + b.Length - 1);
    }

    private static Dictionary<(char, char), int> Bigrams(string value)
    {
        var grams = new Dictionary<(char, char), int>();
        for (var i = 0; i < value.Length - 1; i++)
        {
            var gram = (value[i], value[i + 1]);
            grams[gram] = grams.GetValueOrDefault(gram) + 1;
        }

        return grams;
    }
}

/// <summary>How alike two names are (0 to 1) and why.</summary>
public sealed record NameMatch(double Score, string Explanation)
{
    public bool IsMatch => Score >= NameMatcher.MatchThreshold;
}
