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
    public void DecisionAccess_DepartmentAndRole_Decide(string? caller, string department, AccessVerdict expected)
    {
        var who = caller is null ? null : new Caller("someone", caller.Split('/')[0], caller.Split('/')[1]);

        Assert.Equal(expected, DecisionAccess.Check(who, department));
    }

    [Fact]
    public void DevelopmentToken_IssuedAndValidated_CarriesTheCaller()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var tokens = new DevelopmentTokens(Key, time);

        var caller = tokens.Validate(tokens.Issue(new Caller("ann", "tax", Roles.Reviewer), TimeSpan.FromHours(1)));

        Assert.Equal(new Caller("ann", "tax", Roles.Reviewer), caller);
    }

    [Fact]
    public void DevelopmentToken_TamperedExpiredOrForeign_IsRefused()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var tokens = new DevelopmentTokens(Key, time);
        var token = tokens.Issue(new Caller("ann", "tax", Roles.Reviewer), TimeSpan.FromHours(1));
        var parts = token.Split('.');
        var forged = new DevelopmentTokens(Key, time)
            .Issue(new Caller("ann", "customs", Roles.Reviewer), TimeSpan.FromHours(1))
            .Split('.')[1];

        Assert.Null(tokens.Validate($"{parts[0]}.{forged}.{parts[2]}"));
        Assert.Null(new DevelopmentTokens(Encoding.UTF8.GetBytes("another key entirely, also long!"), time).Validate(token));
        Assert.Null(tokens.Validate("not a token"));
        time.Advance(TimeSpan.FromHours(2));
        Assert.Null(tokens.Validate(token));
    }

    [Fact]
    public void AppServicePrincipal_WithDepartmentAndRoleClaims_IsParsed()
    {
        const string json = """{"auth_typ":"aad","name_typ":"name","role_typ":"roles","claims":[{"typ":"name","val":"li.wei"},"""
            + """{"typ":"supervision_department","val":"customs"},{"typ":"roles","val":"reviewer"}]}""";

        var caller = AppServicePrincipal.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(new Caller("li.wei", "customs", "reviewer"), caller);
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
