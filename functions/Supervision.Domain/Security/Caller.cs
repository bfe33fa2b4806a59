namespace Supervision.Domain.Security;

/// <summary>Roles a caller can hold. Reviewers and supervisors decide for their own department only.</summary>
public static class Roles
{
    public const string Reviewer = "reviewer";
    public const string Supervisor = "supervisor";
    public const string Operator = "operator";

    /// <summary>An enterprise speaking for itself: its "department" is its own USCC.</summary>
    public const string Enterprise = "enterprise";
}

/// <summary>Who is calling: a person of one department with one role.</summary>
public sealed record Caller(string Subject, string Department, string Role)
{
    /// <summary>Who a route open to anyone sees when the request names nobody (health, the API document).</summary>
    public static readonly Caller Anonymous = new("anonymous", string.Empty, "anonymous");
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
    public static AccessVerdict Check(Caller? caller, string department)
    {
        if (caller is null)
        {
            return AccessVerdict.Unauthenticated;
        }

        var roleMayDecide = caller.Role is Roles.Reviewer or Roles.Supervisor;
        var sameDepartment = string.Equals(caller.Department, department, StringComparison.Ordinal);
        return roleMayDecide && sameDepartment ? AccessVerdict.Allowed : AccessVerdict.Forbidden;
    }

    /// <summary>Only the enterprise a case concerns may ask for its credit repair.</summary>
    public static AccessVerdict CheckEnterprise(Caller? caller, string uscc) =>
        caller is null ? AccessVerdict.Unauthenticated
        : caller.Role == Roles.Enterprise && string.Equals(caller.Department, uscc, StringComparison.Ordinal) ? AccessVerdict.Allowed
        : AccessVerdict.Forbidden;
}
