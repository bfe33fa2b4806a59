using System.Text;
using Supervision.Domain.Security;
using Supervision.LocalHost.Identity;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// Who is calling: a bearer token or, only while the platform says it is on, App Service's principal;
/// then the directory.
/// </summary>
public class CallerResolverTests
{
    private const string Uscc = "91330100D3M0000018";

    private static readonly string Principal = Convert.ToBase64String(Encoding.UTF8.GetBytes(
        """{"auth_typ":"aad","name_typ":"name","role_typ":"roles","claims":[{"typ":"name","val":"Li Wei"},"""
        + """{"typ":"http://schemas.microsoft.com/identity/claims/objectidentifier","val":"oid-li"},"""
        + """{"typ":"http://schemas.microsoft.com/identity/claims/scope","val":"user_impersonation"},"""
        + """{"typ":"roles","val":"customs.reviewer"},{"typ":"roles","val":"auditor"}]}"""));

    [Theory]
    [InlineData(null)]
    [InlineData("False")]
    [InlineData("true ")]
    public async Task Resolve_PrincipalHeaderWhileAuthenticationIsOff_IsIgnored(string? enabled)
    {
        var kit = new IdentityTestKit(settings: new Dictionary<string, string?> { [AppServicePrincipal.EnabledSetting] = enabled });

        Assert.Null(await kit.Resolver.ResolveAsync(WithPrincipal(), CancellationToken.None));
    }

    [Fact]
    public async Task Resolve_PrincipalWhileAuthenticationIsOn_GivesEveryRoleAndTheDirectorysEnterprise()
    {
        var kit = new IdentityTestKit(settings: new Dictionary<string, string?> { [AppServicePrincipal.EnabledSetting] = "True" });
        kit.Entries["oid-li"] = new DirectoryEntry("oid-li", Uscc, null);

        var caller = await kit.Resolver.ResolveAsync(WithPrincipal(), CancellationToken.None);

        Assert.Equal(new Caller("oid-li", [Roles.ReviewerOf("customs"), Roles.Auditor], Uscc), caller);
    }

    [Fact]
    public async Task Resolve_AppTokenOfAnInstitution_SpeaksForTheInstitution()
    {
        var kit = new IdentityTestKit();
        kit.Entries["bureau-app"] = new DirectoryEntry("bureau-app", null, "credit-bureau-a");
        var token = kit.Issuer.IssueForApp("bureau-app", [], TimeSpan.FromHours(1), DateTimeOffset.UtcNow);

        var caller = await kit.Resolver.ResolveAsync(IdentityTestKit.Bearer(token), CancellationToken.None);

        Assert.Equal(new Caller("bureau-app", [], Institution: "credit-bureau-a"), caller);
    }

    [Fact]
    public async Task Resolve_ValidTokenNotInTheDirectory_IsACallerSpeakingForNobody()
    {
        var kit = new IdentityTestKit();

        var caller = await kit.Resolver.ResolveAsync(IdentityTestKit.Bearer(kit.User("ann")), CancellationToken.None);

        Assert.Equal(new Caller("ann", []), caller);
    }

    private static Api.ApiRequest WithPrincipal() =>
        new(
            new Dictionary<string, string> { [AppServicePrincipal.HeaderName] = Principal },
            new Dictionary<string, string>(),
            string.Empty);
}
