namespace Supervision.Infrastructure.Api;

/// <summary>The API's route groups, one per audience, each in its own namespace under Api.</summary>
public enum RouteGroup
{
    Reviewers,
    Enterprises,
    Operators,
    Health,
}

/// <summary>Who a grant is for, judged from the caller alone (its app roles, or the enterprise it speaks for).</summary>
public enum Audience
{
    /// <summary>Anyone, with or without identity.</summary>
    Anyone,

    /// <summary>The market regulator's case owners (app role market-regulator.case-owner).</summary>
    CaseOwner,

    Auditor,

    Operator,

    /// <summary>A reviewer or supervisor of any department.</summary>
    DepartmentStaff,

    /// <summary>A reviewer or supervisor of the route's {department}.</summary>
    StaffOfRouteDepartment,

    /// <summary>An enterprise speaking for its USCC.</summary>
    Enterprise,
}

/// <summary>What a grant also needs of the thing the route touches; checked by the gate against storage.</summary>
public enum ResourceCheck
{
    None,

    /// <summary>The route's case names a department of the caller's.</summary>
    CaseNamesCallersDepartment,

    /// <summary>The route's case names the route's {department}.</summary>
    CaseNamesRouteDepartment,

    /// <summary>The route's case is the caller's enterprise's.</summary>
    CaseIsCallersEnterprise,

    /// <summary>The route's enterprise {uscc} has a case that names a department of the caller's.</summary>
    EnterpriseHasCaseInCallersDepartment,

    /// <summary>The route's {uscc} is the caller's own.</summary>
    RouteEnterpriseIsCallers,

    /// <summary>The list's department and uscc filters stay within what the caller may see (<c>CaseAccess.ScopeOfList</c>).</summary>
    ListWithinCallersCases,
}

/// <summary>One way in to a route: an audience, and what the route's resource must say for it.</summary>
public sealed record Grant(Audience Audience, ResourceCheck Check = ResourceCheck.None)
{
    /// <summary>Who this grant admits, for a refusal: "reviewers and supervisors of a department the case names".</summary>
    public string Describe(ApiRequest request) => Who(request) + Check switch
    {
        ResourceCheck.CaseNamesCallersDepartment => " of a department the case names",
        ResourceCheck.CaseNamesRouteDepartment => " on a case that names it",
        ResourceCheck.CaseIsCallersEnterprise => " the case concerns",
        ResourceCheck.EnterpriseHasCaseInCallersDepartment => " of a department with a case of that enterprise",
        ResourceCheck.RouteEnterpriseIsCallers => " itself",
        ResourceCheck.ListWithinCallersCases => " (their own cases only)",
        _ => string.Empty,
    };

    private string Who(ApiRequest request) => Audience switch
    {
        Audience.Anyone => "anyone",
        Audience.CaseOwner => "case owners",
        Audience.Auditor => "auditors",
        Audience.Operator => "operators",
        Audience.DepartmentStaff => "reviewers and supervisors",
        Audience.StaffOfRouteDepartment => $"reviewers and supervisors of '{request.RouteValue("department")}'",
        _ => "the enterprise",
    };
}

/// <summary>
/// A route's group, what calling it does (Chinese and English, for refusals and logs), who may call
/// it, and whether it acts on a case (a refused attempt is then written to the audit log).
/// </summary>
public sealed record RouteRule(RouteGroup Group, string Action, string ActionZh, IReadOnlyList<Grant> Grants, bool Acts = false)
{
    public bool IsOpenToAnyone => Grants.Any(g => g.Audience == Audience.Anyone);
}

/// <summary>
/// The one table of who may call which route, keyed by function name (the same in both hosts).
/// <see cref="ApiGate"/> applies it before any handler runs: a caller passes when one grant's
/// audience holds it and that grant's resource check passes. A route with no grant for an audience
/// refuses it, so a new role or an institution is refused everywhere until a row names it.
/// Handlers shape what a passed caller sees (an enterprise's view of its case, health's details).
/// </summary>
public static class RouteAccess
{
    private static readonly Grant CaseOwners = new(Audience.CaseOwner);
    private static readonly Grant Auditors = new(Audience.Auditor);
    private static readonly Grant Operators = new(Audience.Operator);
    private static readonly Grant Anyone = new(Audience.Anyone);

    public static readonly IReadOnlyDictionary<string, RouteRule> Rules = new Dictionary<string, RouteRule>(StringComparer.Ordinal)
    {
        ["ListReviews"] = new(RouteGroup.Reviewers, "list cases", "查看案件列表", [
            CaseOwners, Auditors,
            new(Audience.DepartmentStaff, ResourceCheck.ListWithinCallersCases),
            new(Audience.Enterprise, ResourceCheck.ListWithinCallersCases)]),
        ["GetReview"] = new(RouteGroup.Reviewers, "read a case", "查看案件", [
            CaseOwners, Auditors,
            new(Audience.DepartmentStaff, ResourceCheck.CaseNamesCallersDepartment),
            new(Audience.Enterprise, ResourceCheck.CaseIsCallersEnterprise)]),
        ["GetEvidenceRaw"] = new(RouteGroup.Reviewers, "download a case's raw evidence", "下载案件原始证据", [
            CaseOwners, Auditors,
            new(Audience.DepartmentStaff, ResourceCheck.CaseNamesCallersDepartment),
            new(Audience.Enterprise, ResourceCheck.CaseIsCallersEnterprise)]),
        ["GetPortrait"] = new(RouteGroup.Reviewers, "read a portrait", "查看信用画像", [
            CaseOwners, Auditors,
            new(Audience.DepartmentStaff, ResourceCheck.EnterpriseHasCaseInCallersDepartment),
            new(Audience.Enterprise, ResourceCheck.RouteEnterpriseIsCallers)]),
        ["SubmitDecision"] = new(RouteGroup.Reviewers, "decide for it", "作出部门审查决定", [
            new(Audience.StaffOfRouteDepartment, ResourceCheck.CaseNamesRouteDepartment)], Acts: true),
        ["ReportImplementation"] = new(RouteGroup.Reviewers, "report its implementation", "报告措施落实情况", [
            new(Audience.StaffOfRouteDepartment, ResourceCheck.CaseNamesRouteDepartment)], Acts: true),
        ["DecideRepair"] = new(RouteGroup.Reviewers, "decide credit repair", "裁定信用修复", [CaseOwners], Acts: true),

        ["FileObjection"] = new(RouteGroup.Enterprises, "object to a case's measures", "提出异议", [
            new(Audience.Enterprise, ResourceCheck.CaseIsCallersEnterprise)], Acts: true),
        ["RequestRepair"] = new(RouteGroup.Enterprises, "ask for credit repair", "申请信用修复", [
            new(Audience.Enterprise, ResourceCheck.CaseIsCallersEnterprise)], Acts: true),

        ["ListQuarantine"] = new(RouteGroup.Operators, "list quarantined inputs", "查看隔离输入", [Operators]),
        ["ListFailures"] = new(RouteGroup.Operators, "list message failures", "查看消息失败", [Operators]),
        ["ListSources"] = new(RouteGroup.Operators, "list sources", "查看数据源", [Operators]),
        ["ListUnlinked"] = new(RouteGroup.Operators, "list unlinked mentions", "查看未关联提及", [Operators]),
        ["VerifyAudit"] = new(RouteGroup.Operators, "verify the audit", "核验审计日志", [Operators, Auditors]),
        ["GetDirectoryEntry"] = new(RouteGroup.Operators, "read the caller directory", "查看调用方目录", [Operators]),
        ["PutDirectoryEntry"] = new(RouteGroup.Operators, "change the caller directory", "修改调用方目录", [Operators]),
        ["ReplayFailure"] = new(RouteGroup.Operators, "replay a poisoned message", "重放毒消息", [Operators], Acts: true),
        ["LinkUnlinked"] = new(RouteGroup.Operators, "link an unlinked mention", "确认关联未关联提及", [Operators], Acts: true),
        ["AddRegistryAlias"] = new(RouteGroup.Operators, "add an alias to the registry", "为登记企业添加别名", [Operators], Acts: true),
        ["GetSourceHistory"] = new(RouteGroup.Operators, "read a source's history", "查看数据源历史记录", [Operators]),

        // Health answers anyone, with details for operators only (HealthRoutes); the API document is public.
        ["Health"] = new(RouteGroup.Health, "read health", "查看运行状况", [Anyone]),
        ["OpenApi"] = new(RouteGroup.Health, "read the API document", "查看接口文档", [Anyone]),
    };

    public static RouteRule For(string function) =>
        Rules.TryGetValue(function, out var rule)
            ? rule
            : throw new InvalidOperationException($"HTTP function '{function}' has no row in {nameof(RouteAccess)}; add who may call it.");
}
