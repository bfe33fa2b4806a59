using Azure;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Audit;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Problems;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;

namespace Supervision.Infrastructure.Api;

/// <summary>What the access rules read of storage: the route's case, which departments an enterprise's cases name.</summary>
public interface IAccessFacts
{
    Task<CaseRecord?> CaseAsync(string caseId, CancellationToken cancellationToken);

    Task<IReadOnlyCollection<string>> DepartmentsWithCasesOfAsync(string uscc, CancellationToken cancellationToken);

    /// <summary>Writes a refused attempt to act on a case to the audit log.</summary>
    Task RecordRefusalAsync(AuditEntry entry, CancellationToken cancellationToken);
}

/// <summary>
/// Applies a route's row of <see cref="RouteAccess"/> to a caller: the caller passes when one grant's
/// audience holds it and that grant's resource check passes. A case that does not exist fails every
/// check that reads it, so a caller who may not see a case gets 403 whether or not it exists; only
/// case owners and auditors, who see every case, learn that it is missing (404 from the handler).
/// </summary>
public sealed class RouteAuthoriser(IAccessFacts facts, TimeProvider time, ILogger<RouteAuthoriser> logger)
{
    /// <summary>Null when the caller may call the route; otherwise the 401 or 403 to answer with.</summary>
    public async Task<ApiResponse?> RefusalAsync(
        string function, Caller? caller, ApiRequest request, CancellationToken cancellationToken)
    {
        var rule = RouteAccess.For(function);
        if (rule.IsOpenToAnyone)
        {
            return null;
        }

        if (caller is null)
        {
            return ApiResponse.Problem(
                401,
                ProblemKinds.Unauthenticated,
                "请提供签发方的令牌 / send 'Authorization: Bearer <token>' from the configured issuer "
                + "(Entra ID in Azure; locally: dotnet run --project functions/Supervision.LocalHost -- token).");
        }

        var resources = new RouteResources(facts, request, cancellationToken);
        foreach (var grant in rule.Grants)
        {
            if (Holds(grant.Audience, caller, request) && await resources.PassesAsync(grant.Check, caller))
            {
                return null;
            }
        }

        var grants = rule.Grants.Select(g => g.Describe(request)).ToList();
        var who = grants.Count == 1 ? grants[0] : $"{string.Join(", ", grants[..^1])} or {grants[^1]}";
        var detail = $"您无权{rule.ActionZh}。Only {who} may {rule.Action}.";
        logger.LogWarning("{Caller} was refused {Function} ({Route}): {Detail}", caller.Describe(), function, RouteOf(request), detail);
        if (rule.Acts)
        {
            await RecordAsync(function, caller, request, detail, cancellationToken);
        }

        return ApiResponse.Problem(403, ProblemKinds.NotAllowed, detail);
    }

    private static bool Holds(Audience audience, Caller caller, ApiRequest request) => audience switch
    {
        Audience.Anyone => true,
        Audience.CaseOwner => caller.IsCaseOwner,
        Audience.Auditor => caller.IsAuditor,
        Audience.Operator => caller.IsOperator,
        Audience.DepartmentStaff => caller.StaffDepartments.Count > 0,
        Audience.StaffOfRouteDepartment => request.RouteValue("department") is { Length: > 0 } d && caller.IsStaffOf(d),
        Audience.Enterprise => caller.Uscc is not null,
        _ => false,
    };

    /// <summary>
    /// A refused attempt to act goes to its own chain per case ("access-refused|{caseId}"), not the
    /// case's: the case's trail stays what was decided, and a flood of refusals never contends with it.
    /// </summary>
    private async Task RecordAsync(string function, Caller caller, ApiRequest request, string detail, CancellationToken cancellationToken)
    {
        var subject = "access-refused|" + (request.RouteValue("caseId") ?? "-");
        var entry = new AuditEntry(
            subject, "access-refused", caller.Subject, time.GetUtcNow(), $"{function} by {caller.Describe()}: {detail}",
            ContentHash.Sha256Hex(request.Body));
        try
        {
            await facts.RecordRefusalAsync(entry, cancellationToken);
        }
        catch (Exception e) when (e is RequestFailedException or InvalidOperationException)
        {
            // The refusal stands and is logged above; an audit log that cannot be written must not turn it into a 500.
            logger.LogError(e, "The refused {Function} by {Caller} could not be audited", function, caller.Describe());
        }
    }

    private static string RouteOf(ApiRequest request) =>
        string.Join(' ', request.Route.Select(r => $"{r.Key}={r.Value}"));

    /// <summary>The route's resources as the checks of one request read them: the case is read once, when first needed.</summary>
    private sealed class RouteResources(IAccessFacts facts, ApiRequest request, CancellationToken cancellationToken)
    {
        private Task<CaseRecord?>? caseRead;

        public async Task<bool> PassesAsync(ResourceCheck check, Caller caller) => check switch
        {
            ResourceCheck.None => true,
            ResourceCheck.CaseNamesCallersDepartment =>
                await CaseAsync() is { } record && CaseAccess.NamesCallersDepartment(caller, record),
            ResourceCheck.CaseNamesRouteDepartment =>
                await CaseAsync() is { } record && record.Departments.Contains(request.RouteValue("department") ?? string.Empty),
            ResourceCheck.CaseIsCallersEnterprise => await CaseAsync() is { } record && caller.IsEnterprise(record.Uscc),
            ResourceCheck.EnterpriseHasCaseInCallersDepartment =>
                request.RouteValue("uscc") is { Length: > 0 } uscc
                && (await facts.DepartmentsWithCasesOfAsync(uscc, cancellationToken)).Any(caller.IsStaffOf),
            ResourceCheck.RouteEnterpriseIsCallers => caller.IsEnterprise(request.RouteValue("uscc") ?? string.Empty),
            ResourceCheck.ListWithinCallersCases =>
                CaseAccess.ScopeOfList(caller, request.QueryValue("department"), request.QueryValue("uscc")).Refusal?.Kind
                    is not DeskOutcomeKind.Forbidden,
            _ => false,
        };

        private Task<CaseRecord?> CaseAsync() =>
            caseRead ??= request.RouteValue("caseId") is { Length: > 0 } caseId
                ? facts.CaseAsync(caseId, cancellationToken)
                : Task.FromResult<CaseRecord?>(null);
    }
}
