using Supervision.Domain.Reviews;
using Supervision.Domain.Security;

namespace Supervision.Infrastructure.Api;

/// <summary>The API's route groups, one per audience, each in its own namespace under Api.</summary>
public enum RouteGroup
{
    Reviewers,
    Enterprises,
    Operators,
    Health,
}

/// <summary>What kind of caller a route admits.</summary>
public enum AudienceKind
{
    /// <summary>Anyone, with or without identity.</summary>
    Anyone,

    /// <summary>Any caller with an identity.</summary>
    AnyCaller,

    /// <summary>A reviewer or supervisor of one department: a fixed one, or the route's {department}.</summary>
    DepartmentStaff,

    /// <summary>A caller holding one app role.</summary>
    Role,

    /// <summary>An enterprise speaking for itself (the handler checks it is the case's own).</summary>
    Enterprise,
}

/// <summary>Who may call a route, and how a refusal says what the caller was not allowed to do.</summary>
public sealed record Audience(AudienceKind Kind, string? Value = null)
{
    public static readonly Audience Anyone = new(AudienceKind.Anyone);
    public static readonly Audience AnyCaller = new(AudienceKind.AnyCaller);
    public static readonly Audience StaffOfRouteDepartment = new(AudienceKind.DepartmentStaff);

    public static Audience StaffOf(string department) => new(AudienceKind.DepartmentStaff, department);

    public static Audience OfRole(string role) => new(AudienceKind.Role, role);

    public static readonly Audience AnyEnterprise = new(AudienceKind.Enterprise);

    public AccessVerdict Check(Caller? caller, ApiRequest request) => Kind switch
    {
        AudienceKind.Anyone => AccessVerdict.Allowed,
        _ when caller is null => AccessVerdict.Unauthenticated,
        AudienceKind.AnyCaller => AccessVerdict.Allowed,
        AudienceKind.DepartmentStaff => DecisionAccess.Check(caller, DepartmentOf(request)),
        AudienceKind.Role => caller.Has(Value!) ? AccessVerdict.Allowed : AccessVerdict.Forbidden,
        AudienceKind.Enterprise => caller.Uscc is not null ? AccessVerdict.Allowed : AccessVerdict.Forbidden,
        _ => AccessVerdict.Forbidden,
    };

    /// <summary>Who this audience is, for a refusal: "a reviewer or supervisor of 'customs'", "a caller with role 'enterprise'".</summary>
    public string Describe(ApiRequest request) => Kind switch
    {
        AudienceKind.DepartmentStaff => $"a reviewer or supervisor of '{DepartmentOf(request)}'",
        AudienceKind.Role => $"a caller with role '{Value}'",
        AudienceKind.Enterprise => "an enterprise",
        _ => "a caller with an identity",
    };

    private string DepartmentOf(ApiRequest request) => Value ?? request.RouteValue("department") ?? string.Empty;
}

/// <summary>A route's group, who may call it, and what calling it does (for refusals and logs).</summary>
public sealed record RouteRule(RouteGroup Group, Audience Audience, string Action);

/// <summary>
/// The one table of who may call which route, keyed by function name (the same in both hosts).
/// <see cref="ApiGate"/> applies it before any handler runs; handlers do not check callers again,
/// except for what only the case can tell (the desk checks that an enterprise is the case's own).
/// Finer rules (operators only, per-memorandum reviewers) belong here when they come.
/// </summary>
public static class RouteAccess
{
    public static readonly IReadOnlyDictionary<string, RouteRule> Rules = new Dictionary<string, RouteRule>(StringComparer.Ordinal)
    {
        // Reviewers: any caller reads cases and portraits; a department's own people act for it.
        ["ListReviews"] = new(RouteGroup.Reviewers, Audience.AnyCaller, "list cases"),
        ["GetReview"] = new(RouteGroup.Reviewers, Audience.AnyCaller, "read a case"),
        ["GetPortrait"] = new(RouteGroup.Reviewers, Audience.AnyCaller, "read a portrait"),
        ["SubmitDecision"] = new(RouteGroup.Reviewers, Audience.StaffOfRouteDepartment, "decide for it"),
        ["ReportImplementation"] = new(RouteGroup.Reviewers, Audience.StaffOfRouteDepartment, "report its implementation"),
        ["DecideRepair"] = new(RouteGroup.Reviewers, Audience.StaffOf(ReviewNames.RepairDepartment), "decide credit repair"),

        // Enterprises speak for themselves; the desk checks it is the case's own enterprise.
        ["FileObjection"] = new(RouteGroup.Enterprises, Audience.AnyEnterprise, "object to a case's measures"),
        ["RequestRepair"] = new(RouteGroup.Enterprises, Audience.AnyEnterprise, "ask for credit repair"),

        // Operators: any caller today.
        ["ListQuarantine"] = new(RouteGroup.Operators, Audience.AnyCaller, "list quarantined inputs"),
        ["ListFailures"] = new(RouteGroup.Operators, Audience.AnyCaller, "list message failures"),
        ["ListSources"] = new(RouteGroup.Operators, Audience.AnyCaller, "list sources"),
        ["ListUnlinked"] = new(RouteGroup.Operators, Audience.AnyCaller, "list unlinked mentions"),
        ["VerifyAudit"] = new(RouteGroup.Operators, Audience.AnyCaller, "verify the audit"),
        ["GetDirectoryEntry"] = new(RouteGroup.Operators, Audience.OfRole(Roles.Operator), "read the caller directory"),
        ["PutDirectoryEntry"] = new(RouteGroup.Operators, Audience.OfRole(Roles.Operator), "change the caller directory"),

        // Health and the API document answer anyone.
        ["Health"] = new(RouteGroup.Health, Audience.Anyone, "read health"),
        ["OpenApi"] = new(RouteGroup.Health, Audience.Anyone, "read the API document"),
    };

    public static RouteRule For(string function) =>
        Rules.TryGetValue(function, out var rule)
            ? rule
            : throw new InvalidOperationException($"HTTP function '{function}' has no row in {nameof(RouteAccess)}; add who may call it.");
}
