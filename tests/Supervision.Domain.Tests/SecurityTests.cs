using System.Text;
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
    public void AppServicePrincipal_WithSeveralAppRoles_KeepsThemAll()
    {
        const string json = """{"auth_typ":"aad","name_typ":"name","role_typ":"roles","claims":[{"typ":"name","val":"li.wei"},"""
            + """{"typ":"oid","val":"oid-li"},{"typ":"roles","val":"customs.reviewer"},{"typ":"roles","val":"auditor"}]}""";

        var identity = AppServicePrincipal.Parse(Convert.ToBase64String(Encoding.UTF8.GetBytes(json)));

        Assert.Equal("oid-li", identity!.Subject);
        Assert.Equal([Roles.ReviewerOf("customs"), Roles.Auditor], identity.AppRoles);
        Assert.Null(AppServicePrincipal.Parse("%%%"));
    }

    [Theory]
    [InlineData("oid=u1 sub=pairwise scp=read azp=console-app", "u1")]
    [InlineData("oid=u1 sub=u1", "u1")]
    [InlineData("sub=u2", "u2")]
    [InlineData("oid=sp1 sub=sp1 azp=customs-system", "customs-system")]
    [InlineData("oid=sp1 sub=sp1 appid=bureau-app", "bureau-app")]
    [InlineData("oid=sp1 appid=bureau-app idtyp=app scp=x", "bureau-app")]
    [InlineData("roles=operator", null)]
    public void SignedInIdentity_FromEntraClaims_NamesTheUserByObjectIdAndTheClientByAppId(string claims, string? subject)
    {
        var pairs = claims.Split(' ').Select(c => c.Split('=')).ToList();

        var identity = SignedInIdentity.FromClaims(type => pairs.Where(p => p[0] == type).Select(p => p[1]));

        Assert.Equal(subject, identity?.Subject);
    }

    [Theory]
    [InlineData("enterprise-1", "91330100D3M0000018", null, true)]
    [InlineData("bureau-app", null, "credit-bureau-a", true)]
    [InlineData("both", "91330100D3M0000018", "credit-bureau-a", false)]
    [InlineData("neither", null, null, false)]
    [InlineData("bad-uscc", "91330100D3M0000019", null, false)]
    [InlineData("bad/subject", "91330100D3M0000018", null, false)]
    [InlineData("bad-institution", null, "Credit Bureau", false)]
    public void DirectoryEntry_Problem_RefusesAllButOneEnterpriseOrOneInstitution(
        string subject, string? uscc, string? institution, bool storable)
    {
        Assert.Equal(storable, new DirectoryEntry(subject, uscc, institution).Problem() is null);
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
