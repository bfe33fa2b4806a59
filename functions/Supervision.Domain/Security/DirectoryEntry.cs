using Supervision.Domain.Enterprises;

namespace Supervision.Domain.Security;

/// <summary>
/// One row of the caller directory, kept by operators: the enterprise (USCC) or third-party
/// institution a subject (a user's object id, a client's app id) speaks for. Never both.
/// </summary>
public sealed record DirectoryEntry(string Subject, string? Uscc, string? Institution)
{
    public const int MaxSubjectLength = 128;
    public const int MaxInstitutionLength = 64;

    /// <summary>What is wrong with this entry, in Chinese and English; null when it may be stored.</summary>
    public string? Problem()
    {
        if (!IsSubject(Subject))
        {
            return $"主体标识无效 / subject must be 1-{MaxSubjectLength} characters of letters, digits, '.', '_', ':', '@' or '-'";
        }

        if ((Uscc is null) == (Institution is null))
        {
            return "须且只能给出一个：企业统一社会信用代码或机构标识 / give exactly one of uscc or institution";
        }

        if (Uscc is not null && !Enterprises.Uscc.Check(Uscc).IsAcceptable)
        {
            return $"统一社会信用代码无效 / '{Uscc}' is not a USCC: {Enterprises.Uscc.Check(Uscc).Reason}";
        }

        return Institution is not null && !IsInstitution(Institution)
            ? $"机构标识无效 / institution id must be 1-{MaxInstitutionLength} characters of a-z, 0-9 or '-'"
            : null;
    }

    /// <summary>A subject as Entra names users and apps (GUIDs), or as the local issuer names them; safe as a table key.</summary>
    public static bool IsSubject(string? subject) =>
        !string.IsNullOrEmpty(subject) && subject.Length <= MaxSubjectLength
        && subject.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '@' or '-');

    private static bool IsInstitution(string id) =>
        id.Length is > 0 and <= MaxInstitutionLength && id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
