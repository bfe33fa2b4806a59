using Supervision.Domain.Problems;
using Supervision.Domain.Security;

namespace Supervision.Domain.Reviews;

/// <summary>The list of cases a caller reads: the filters it asked for, narrowed to what it may see.</summary>
public sealed record CaseListScope(string? Department, string? Uscc);

/// <summary>
/// Which cases a caller may see and how much of each. Case owners and auditors see every case;
/// a department's reviewers and supervisors see the cases that name their department; an
/// enterprise sees its own cases without the reviewers' side (who decided, their comments, the
/// audit trail). The API gate asks these before a case route runs; the routes shape what they
/// answer with them.
/// </summary>
public static class CaseAccess
{
    public static bool SeesEveryCase(Caller caller) => caller.IsCaseOwner || caller.IsAuditor;

    /// <summary>The case names a department whose reviewer or supervisor the caller is.</summary>
    public static bool NamesCallersDepartment(Caller caller, CaseRecord record) => record.Departments.Any(caller.IsStaffOf);

    /// <summary>Whether the caller sees reviewers' names, comments and the audit trail of this case.</summary>
    public static bool SeesDeliberation(Caller caller, CaseRecord record) =>
        SeesEveryCase(caller) || NamesCallersDepartment(caller, record);

    /// <summary>The case as the caller may see it: whole, or as its enterprise sees it.</summary>
    public static CaseRecord ViewFor(Caller caller, CaseRecord record) =>
        SeesDeliberation(caller, record) ? record : ForEnterprise(record);

    /// <summary>
    /// The case without who decided and what they commented, nor the departments' internal progress
    /// (deadlines, reminders, escalations); the measures and their legal basis stay.
    /// </summary>
    public static CaseRecord ForEnterprise(CaseRecord record) => (record with { DepartmentReviews = null }) switch
    {
        { Outcome: { } outcome } withoutProgress => withoutProgress with
        {
            Outcome = outcome with { Departments = outcome.Departments.Select(d => d with { DecidedBy = null, Comment = null }).ToList() },
        },
        var withoutProgress => withoutProgress,
    };

    /// <summary>
    /// The list a caller reads for the department and USCC filters it asked for. Case owners and
    /// auditors: as asked. Staff: one of their own departments (the only one when they hold one and
    /// name none; they must name one when they hold several); a department that is not theirs, or a
    /// USCC alone (it would show other departments' cases), is forbidden. An enterprise: its own
    /// cases; another's USCC or a department filter is forbidden. Anyone else: forbidden.
    /// </summary>
    public static (CaseListScope? Scope, DeskOutcome? Refusal) ScopeOfList(Caller caller, string? department, string? uscc)
    {
        department = string.IsNullOrEmpty(department) ? null : department;
        uscc = string.IsNullOrEmpty(uscc) ? null : uscc;
        if (SeesEveryCase(caller))
        {
            return (new CaseListScope(department, uscc), null);
        }

        var own = caller.StaffDepartments;
        if (own.Count > 0)
        {
            return (department, uscc, own) switch
            {
                ({ } d, _, _) when caller.IsStaffOf(d) => (new CaseListScope(d, uscc), null),
                ({ } d, _, _) => (null, NotYours($"'{d}' is not a department you review for; you review for {string.Join(", ", own)}.")),
                (null, { }, _) => (null, NotYours("Reviewers list their own department's cases: add department=<yours> to the filter.")),
                (null, null, [var only]) => (new CaseListScope(only, null), null),
                _ => (null, DeskOutcome.Invalid(
                    ProblemKinds.DepartmentNeeded,
                    $"You review for {string.Join(", ", own)}; name one of them with department=<name>.")),
            };
        }

        if (caller.Uscc is { } mine)
        {
            return department is null && (uscc is null || caller.IsEnterprise(uscc))
                ? (new CaseListScope(null, mine), null)
                : (null, NotYours("An enterprise lists only its own cases."));
        }

        return (null, NotYours("Only case owners, auditors, department staff and enterprises list cases."));
    }

    private static DeskOutcome NotYours(string reason) => DeskOutcome.Forbidden(ProblemKinds.NotAllowed, reason);
}
