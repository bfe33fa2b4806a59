namespace Supervision.Domain.Enterprises;

/// <summary>
/// The unified social credit code of GB 32100-2015: 18 characters from a 31-character set, the
/// last one a check character over the first seventeen.
/// </summary>
public static class Uscc
{
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    public const int Length = 18;

    // Weight of position i (1-based) is 3^(i-1) mod 31.
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    public static UsccCheck Check(string? code)
    {
        if (string.IsNullOrEmpty(code) || code.Length != Length)
        {
            return UsccCheck.Invalid($"a USCC has {Length} characters");
        }

        var sum = 0;
        for (var i = 0; i < Length - 1; i++)
        {
            var value = Alphabet.IndexOf(code[i], StringComparison.Ordinal);
            if (value < 0)
            {
                return UsccCheck.Invalid($"'{code[i]}' at position {i + 1} is not in the USCC character set");
            }

            sum += value * Weights[i];
        }

        var expected = CheckCharacter(sum);
        return code[Length - 1] == expected
            ? UsccCheck.Valid
            : UsccCheck.Invalid($"check character is '{code[Length - 1]}', expected '{expected}'");
    }

    /// <summary>Completes a 17-character body with its check character (used to mint demo codes).</summary>
    public static string WithCheckCharacter(string body)
    {
        if (body.Length != Length - 1)
        {
            throw new ArgumentException($"a USCC body has {Length - 1} characters", nameof(body));
        }

        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var value = Alphabet.IndexOf(body[i], StringComparison.Ordinal);
            if (value < 0)
            {
                throw new ArgumentException($"'{body[i]}' is not in the USCC character set", nameof(body));
            }

            sum += value * Weights[i];
        }

        return body + CheckCharacter(sum);
    }

    private static char CheckCharacter(int weightedSum) => Alphabet[(31 - (weightedSum % 31)) % 31];
}

/// <summary>The verdict on one code, with the reason when it fails.</summary>
public sealed record UsccCheck(bool IsValid, string? Reason)
{
    public static readonly UsccCheck Valid = new(true, null);

    public static UsccCheck Invalid(string reason) => new(false, reason);
}
