namespace Supervision.Domain.Security;

/// <summary>
/// The app roles a caller can hold, named as Entra ID app roles are: "{department}.reviewer",
/// "{department}.supervisor", "market-regulator.case-owner", "operator", "auditor". A person may
/// hold several. Enterprises and third-party institutions are not roles: the directory maps their
/// subject or app id to a USCC or an institution id (<see cref="Caller.Uscc"/>, <see cref="Caller.Institution"/>).
/// </summary>
public static class Roles
{
    public const string Reviewer = "reviewer";
    public const string Supervisor = "supervisor";
    public const string CaseOwner = "market-regulator.case-owner";
    public const string Operator = "operator";
    public const string Auditor = "auditor";

    public static string ReviewerOf(string department) => $"{department}.{Reviewer}";

    public static string SupervisorOf(string department) => $"{department}.{Supervisor}";
}

/// <summary>
/// Who is calling: a subject (a user's object id or a client's app id) with its app roles, and,
/// when the directory knows it as one, the enterprise (USCC) or institution it speaks for.
/// </summary>
public sealed record Caller(string Subject, IReadOnlyList<string> AppRoles, string? Uscc = null, string? Institution = null)
{
    /// <summary>Who a route open to anyone sees when the request names nobody (health, the API document).</summary>
    public static readonly Caller Anonymous = new("anonymous", []);

    /// <summary>A member of a department's staff: its reviewer or supervisor.</summary>
    public static Caller StaffOf(string subject, string department, string role = Roles.Reviewer) =>
        new(subject, [$"{department}.{role}"]);

    /// <summary>An enterprise's own account, speaking for one USCC.</summary>
    public static Caller EnterpriseOf(string subject, string uscc) => new(subject, [], Uscc: uscc);

    public bool Has(string appRole) => AppRoles.Contains(appRole, StringComparer.Ordinal);

    /// <summary>Reviewer or supervisor of this department.</summary>
    public bool IsStaffOf(string department) =>
        Has(Roles.ReviewerOf(department)) || Has(Roles.SupervisorOf(department));

    public bool IsSupervisorOf(string department) => Has(Roles.SupervisorOf(department));

    /// <summary>The departments whose reviewer or supervisor this caller is.</summary>
    public IReadOnlyList<string> StaffDepartments => AppRoles
        .Select(DepartmentOfStaffRole)
        .OfType<string>()
        .Distinct(StringComparer.Ordinal)
        .Order(StringComparer.Ordinal)
        .ToList();

    public bool IsCaseOwner => Has(Roles.CaseOwner);

    public bool IsOperator => Has(Roles.Operator);

    public bool IsAuditor => Has(Roles.Auditor);

    public bool IsEnterprise(string uscc) => Uscc is not null && string.Equals(Uscc, uscc, StringComparison.Ordinal);

    /// <summary>A stable one-line text of who this is, for logs, audit details and page-token binding.</summary>
    public string Describe()
    {
        var roles = $"[{string.Join(',', AppRoles.Order(StringComparer.Ordinal))}]";
        var speaksFor = Uscc is not null ? $" uscc={Uscc}" : Institution is not null ? $" institution={Institution}" : string.Empty;
        return $"{Subject} {roles}{speaksFor}";
    }

    /// <summary>Equal when the same subject holds the same roles (in any order) for the same enterprise or institution.</summary>
    public bool Equals(Caller? other) =>
        other is not null
        && Subject == other.Subject
        && Uscc == other.Uscc
        && Institution == other.Institution
        && AppRoles.Order(StringComparer.Ordinal).SequenceEqual(other.AppRoles.Order(StringComparer.Ordinal), StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Subject, Uscc, Institution, AppRoles.Count);

    private static string? DepartmentOfStaffRole(string appRole)
    {
        var dot = appRole.LastIndexOf('.');
        if (dot <= 0)
        {
            return null;
        }

        var role = appRole[(dot + 1)..];
        return role is Roles.Reviewer or Roles.Supervisor ? appRole[..dot] : null;
    }
}

/// <summary>Why a call may not proceed.</summary>
public enum AccessVerdict
{
    Allowed,
    Unauthenticated,
    Forbidden,
}

/// <summary>The rule for review decisions: a reviewer or supervisor of the department concerned, nobody else.</summary>
public static class DecisionAccess
{
    public static AccessVerdict Check(Caller? caller, string department) =>
        caller is null ? AccessVerdict.Unauthenticated
        : caller.IsStaffOf(department) ? AccessVerdict.Allowed
        : AccessVerdict.Forbidden;

    /// <summary>Only the enterprise a case concerns may object or ask for its credit repair.</summary>
    public static AccessVerdict CheckEnterprise(Caller? caller, string uscc) =>
        caller is null ? AccessVerdict.Unauthenticated
        : caller.IsEnterprise(uscc) ? AccessVerdict.Allowed
        : AccessVerdict.Forbidden;
}
