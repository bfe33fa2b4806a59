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

    /// <summary>The code without the spaces and hyphens people write into it, in upper case.</summary>
    public static string Compact(string code) =>
        string.Concat(code.Where(c => !char.IsWhiteSpace(c) && c != '-')).ToUpperInvariant();

    /// <summary>Checks a code; spaces, hyphens and lower case are forgiven (see <see cref="Compact"/>).</summary>
    public static UsccCheck Check(string? code)
    {
        code = code is null ? null : Compact(code);
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
        if (code[Length - 1] == expected)
        {
            return UsccCheck.Valid;
        }

        var mismatch = $"check character is '{code[Length - 1]}', expected '{expected}'";
        return IsLegacyPilotPattern(code)
            ? UsccCheck.Flagged(
                $"{mismatch}; kept and flagged because codes of this form were legally issued by the Fujian pilot "
                + "before GB 32100-2015 fixed the check character")
            : UsccCheck.Invalid(mismatch);
    }

    /// <summary>
    /// Codes legally issued by the Fujian pilot (region 35xxxx, M-series organisation codes)
    /// before GB 32100-2015 fixed the check character, which fail it. Listed one by one rather
    /// than matched by pattern: a pattern would also flag a mistyped check character of any
    /// genuine Fujian code. Sources: bluesky335/IDCheck and dromara/hutool test suites (see
    /// tests/fixtures/uscc/SOURCE-cases.txt); add codes here as registries confirm them.
    /// </summary>
    private static readonly HashSet<string> KnownLegacyPilotCodes = new(StringComparer.Ordinal)
    {
        "91350211M0000XUF46", "91350100M0001TGQXM", "91350203M0001FUE2P", "91350211M00013FA1N",
    };

    private static bool IsLegacyPilotPattern(string code) => KnownLegacyPilotCodes.Contains(code);

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

/// <summary>How a code fared: valid, flagged (a known legacy form that fails the check), or invalid.</summary>
public enum UsccStatus
{
    Valid,
    Flagged,
    Invalid,
}

/// <summary>The verdict on one code, with the reason when it is not plainly valid.</summary>
public sealed record UsccCheck(UsccStatus Status, string? Reason)
{
    public static readonly UsccCheck Valid = new(UsccStatus.Valid, null);

    /// <summary>True only for a code whose check character is right.</summary>
    public bool IsValid => Status == UsccStatus.Valid;

    /// <summary>True for valid and flagged codes: both identify a real registration.</summary>
    public bool IsAcceptable => Status != UsccStatus.Invalid;

    public static UsccCheck Invalid(string reason) => new(UsccStatus.Invalid, reason);

    public static UsccCheck Flagged(string reason) => new(UsccStatus.Flagged, reason);
}
