using Microsoft.Extensions.Logging.Abstractions;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api;
using Supervision.LocalHost.Triggers;

namespace Supervision.Infrastructure.Tests;

/// <summary>The one gate every route passes, applying the one table of who may call what.</summary>
public class ApiGateTests
{
    private readonly IdentityTestKit identity = new();
    private readonly ApiGate gate;

    public ApiGateTests()
    {
        gate = new ApiGate(identity.Resolver, NullLogger<ApiGate>.Instance);
    }

    [Fact]
    public void RouteAccess_HasOneRowForEveryHttpFunction_AndNoOther()
    {
        Assert.Equal(
            LocalFunctions.Http.Select(h => h.Name).Order(StringComparer.Ordinal),
            RouteAccess.Rules.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("SubmitDecision", null, 401)]
    [InlineData("SubmitDecision", "tax/reviewer", 403)]
    [InlineData("SubmitDecision", "customs/operator", 403)]
    [InlineData("SubmitDecision", "customs/reviewer", 200)]
    [InlineData("SubmitDecision", "customs/supervisor", 200)]
    [InlineData("DecideRepair", "customs/reviewer", 403)]
    [InlineData("DecideRepair", "market-regulator/reviewer", 200)]
    [InlineData("FileObjection", "customs/reviewer", 403)]
    [InlineData("FileObjection", "91330100D3M0000018/enterprise", 200)]
    [InlineData("RequestRepair", null, 401)]
    [InlineData("ListReviews", null, 401)]
    [InlineData("ListReviews", "91330100D3M0000018/enterprise", 200)]
    [InlineData("VerifyAudit", "tax/operator", 200)]
    [InlineData("Health", null, 200)]
    [InlineData("OpenApi", null, 200)]
    public async Task Pass_AppliesTheRoutesAudience(string function, string? caller, int expected)
    {
        var handled = false;
        var response = await gate.PassAsync(function, Request(caller), _ =>
        {
            handled = true;
            return Task.FromResult(ApiResponse.Ok("handled"));
        });

        Assert.Equal(expected, response.Status);
        Assert.Equal(expected == 200, handled);
    }

    [Fact]
    public async Task Pass_Refused_NamesWhoMayCall()
    {
        var response = await gate.PassAsync("SubmitDecision", Request("tax/reviewer"), _ => Task.FromResult(ApiResponse.Ok("handled")));

        var problem = Assert.IsType<ProblemBody>(response.Body);
        Assert.Equal("Only a reviewer or supervisor of 'customs' may decide for it.", problem.Detail);
    }

    [Fact]
    public async Task Pass_HandsTheHandlerTheResolvedCaller()
    {
        Caller? seen = null;
        await gate.PassAsync("SubmitDecision", Request("customs/reviewer"), caller =>
        {
            seen = caller;
            return Task.FromResult(ApiResponse.Ok("handled"));
        });

        Assert.Equal(Caller.StaffOf("customs-reviewer", "customs", Roles.Reviewer), seen);
    }

    [Fact]
    public async Task Pass_EnterpriseInTheDirectory_GetsACallerWithItsUscc()
    {
        Caller? seen = null;
        await gate.PassAsync("FileObjection", Request("91330100D3M0000018/enterprise"), caller =>
        {
            seen = caller;
            return Task.FromResult(ApiResponse.Ok("handled"));
        });

        Assert.Equal(Caller.EnterpriseOf("enterprise-91330100D3M0000018", "91330100D3M0000018"), seen);
    }

    [Fact]
    public async Task Pass_FunctionWithoutARow_Throws()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => gate.PassAsync("Unlisted", Request(null), _ => Task.FromResult(ApiResponse.Ok(""))));
    }

    /// <summary>
    /// A request to a route whose {department} is customs, from "department/role" (null: no identity);
    /// "uscc/enterprise" is a user the caller directory maps to that USCC.
    /// </summary>
    private ApiRequest Request(string? caller)
    {
        var headers = new Dictionary<string, string>();
        if (caller?.Split('/') is [var department, var role])
        {
            var subject = role == "enterprise" ? $"enterprise-{department}" : $"{department}-{role}";
            if (role == "enterprise")
            {
                identity.Entries[subject] = new DirectoryEntry(subject, department, null);
            }

            var token = role == "enterprise" ? identity.User(subject) : identity.User(subject, $"{department}.{role}");
            headers["Authorization"] = $"Bearer {token}";
        }

        return new ApiRequest(headers, new Dictionary<string, string>(), string.Empty).WithRoute([("department", "customs")]);
    }
}
