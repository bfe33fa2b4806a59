using System.Text;
using Microsoft.Extensions.Time.Testing;
using Supervision.Domain.Alerts;
using Supervision.Domain.Security;

namespace Supervision.Domain.Tests;

public class SecurityTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a test key that is long enough!!");

    [Theory]
    [InlineData(null, "customs", AccessVerdict.Unauthenticated)]
    [InlineData("customs/reviewer", "customs", AccessVerdict.Allowed)]
    [InlineData("customs/supervisor", "customs", AccessVerdict.Allowed)]
    [InlineData("tax/reviewer", "customs", AccessVerdict.Forbidden)]
    [InlineData("customs/operator", "customs", AccessVerdict.Forbidden)]
    [InlineData("customs/case-owner", "customs", AccessVerdict.Forbidden)]
    public void DecisionAccess_DepartmentAndRole_Decide(string? caller, string department, AccessVerdict expected)
    {
        var who = caller is null ? null : new Caller("someone", [caller.Replace('/', '.')]);

        Assert.Equal(expected, DecisionAccess.Check(who, department));
    }

    [Fact]
    public void DevelopmentToken_IssuedAndValidated_CarriesTheCaller()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var tokens = new DevelopmentTokens(Key, time);

        var ann = new Caller("ann", [Roles.ReviewerOf("tax"), Roles.SupervisorOf("customs"), Roles.Auditor]);
        var caller = tokens.Validate(tokens.Issue(ann, TimeSpan.FromHours(1)));

        Assert.Equal(ann, caller);
        Assert.Equal(["customs", "tax"], caller!.StaffDepartments);
        Assert.True(caller.IsSupervisorOf("customs"));
        Assert.False(caller.IsSupervisorOf("tax"));
        var enterprise = Caller.EnterpriseOf("e1", "91330100D3M0000018");
        Assert.Equal(enterprise, tokens.Validate(tokens.Issue(enterprise, TimeSpan.FromHours(1))));
    }

    [Fact]
    public void DevelopmentToken_TamperedExpiredOrForeign_IsRefused()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var tokens = new DevelopmentTokens(Key, time);
        var token = tokens.Issue(Caller.StaffOf("ann", "tax"), TimeSpan.FromHours(1));
        var parts = token.Split('.');
        var forged = new DevelopmentTokens(Key, time)
            .Issue(Caller.StaffOf("ann", "customs"), TimeSpan.FromHours(1))
            .Split('.')[1];

        Assert.Null(tokens.Validate($"{parts[0]}.{forged}.{parts[2]}"));
        Assert.Null(new DevelopmentTokens(Encoding.UTF8.GetBytes("another key entirely, also long!"), time).Validate(token));
        Assert.Null(tokens.Validate("not a token"));
        time.Advance(TimeSpan.FromHours(2));
        Assert.Null(tokens.Validate(token));
    }

    [Fact]
    public void AppServicePrincipal_WithSeveralAppRoles_KeepsThemAll()
    {
        const string json = """{"auth_typ":"aad","name_typ":"name","role_typ":"roles","claims":[{"typ":"name","val":"li.wei"},"""
            + """{"typ":"roles","val":"customs.reviewer"},{"typ":"roles","val":"auditor"}]}""";

        var caller = AppServicePrincipal.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(new Caller("li.wei", [Roles.ReviewerOf("customs"), Roles.Auditor]), caller);
        Assert.Null(AppServicePrincipal.Parse("%%%"));
    }

    [Fact]
    public void WebhookSignature_VerifiesOnlyTheSameFreshBody()
    {
        var at = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
        var header = WebhookSignature.Sign(Key, """{"a":1}""", at);

        Assert.True(WebhookSignature.Verify(Key, """{"a":1}""", header, at.AddSeconds(30), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Key, """{"a":2}""", header, at.AddSeconds(30), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Key, """{"a":1}""", header, at.AddMinutes(10), TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Encoding.UTF8.GetBytes("other"), """{"a":1}""", header, at, TimeSpan.FromMinutes(5)));
    }
}
