using Moq;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Tokens;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api;
using Supervision.LocalHost.Identity;

namespace Supervision.Infrastructure.Tests;

/// <summary>One validation path for every bearer token: the issuer's metadata decides, and a bad token is a 401, never a 500.</summary>
public class BearerTokenTests
{
    private readonly IdentityTestKit kit = new();

    [Fact]
    public async Task Validate_LocalIssuersToken_GivesSubjectAndEveryRole()
    {
        var identity = await kit.Validator.ValidateAsync(
            kit.User("ann", Roles.ReviewerOf("tax"), Roles.SupervisorOf("customs"), Roles.Auditor), CancellationToken.None);

        Assert.Equal("ann", identity!.Subject);
        Assert.Equal([Roles.ReviewerOf("tax"), Roles.SupervisorOf("customs"), Roles.Auditor], identity.AppRoles);
    }

    [Fact]
    public async Task Validate_AppOnlyToken_NamesTheClientByAppId()
    {
        var token = kit.Issuer.IssueForApp("customs-system", [Roles.ReviewerOf("customs")], TimeSpan.FromHours(1), DateTimeOffset.UtcNow);

        var identity = await kit.Validator.ValidateAsync(token, CancellationToken.None);

        Assert.Equal("customs-system", identity!.Subject);
        Assert.Equal([Roles.ReviewerOf("customs")], identity.AppRoles);
    }

    [Fact]
    public async Task Validate_CraftedWithTheIssuersClaims_IsAccepted()
    {
        // The control for the crafted bad tokens below: only the claim each changes refuses it.
        var crafted = kit.Crafted(IdentityTestKit.ValidClaims("ann"));

        Assert.Equal("ann", (await kit.Validator.ValidateAsync(crafted, CancellationToken.None))?.Subject);
    }

    public static TheoryData<string> BadTokens =>
    [
        "other key", "alg none", "tampered", "expired", "far-future exp", "exp beyond any date",
        "not yet valid", "no exp", "not a token", "garbage with dots",
    ];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Validate_BadToken_IsRefused(string kind)
    {
        Assert.Null(await kit.Validator.ValidateAsync(Bad(kind), CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Gate_BadToken_Is401NotAServerError(string kind)
    {
        // An operator route: the gate refuses before any case fact is needed.
        var authoriser = new RouteAuthoriser(Mock.Of<IAccessFacts>(), TimeProvider.System, NullLogger<RouteAuthoriser>.Instance);
        var gate = new ApiGate(kit.Resolver, authoriser);

        var response = await gate.PassAsync("ListSources", IdentityTestKit.Bearer(Bad(kind)), _ => Task.FromResult(ApiResponse.Ok("in")));

        Assert.Equal(401, response.Status);
    }

    [Fact]
    public async Task Validate_WrongAudience_IsRefused()
    {
        var elsewhere = new IdentityTestKit(audience: "api://another-app") { Issuer = kit.Issuer };

        Assert.NotNull(await kit.Validator.ValidateAsync(kit.User("ann", Roles.Operator), CancellationToken.None));
        Assert.Null(await elsewhere.Validator.ValidateAsync(kit.User("ann", Roles.Operator), CancellationToken.None));
    }

    [Fact]
    public async Task Validate_IssuerOtherThanTheMetadatas_IsRefused()
    {
        var elsewhere = new IdentityTestKit
        {
            Issuer = kit.Issuer,
            MetadataIssuer = "https://login.microsoftonline.com/another-tenant/v2.0",
        };

        Assert.Null(await elsewhere.Validator.ValidateAsync(kit.User("ann", Roles.Operator), CancellationToken.None));
    }

    [Fact]
    public async Task Validate_IssuerRotatedItsKey_FetchesTheKeySetAgainAndAccepts()
    {
        Assert.NotNull(await kit.Validator.ValidateAsync(kit.User("ann", Roles.Operator), CancellationToken.None));
        var fetches = kit.KeySetFetches;

        kit.Issuer = new LocalIssuer(LocalIssuer.NewSigningKey());
        var rotated = kit.User("ann", Roles.Operator);
        SignedInIdentity? identity = null;
        for (var attempt = 0; attempt < 50 && identity is null; attempt++)
        {
            // The manager may fetch in the background; a later request then finds the new key.
            identity = await kit.Validator.ValidateAsync(rotated, CancellationToken.None);
            await Task.Delay(identity is null ? 100 : 0);
        }

        Assert.NotNull(identity);
        Assert.True(kit.KeySetFetches > fetches);
    }

    private string Bad(string kind)
    {
        var now = DateTimeOffset.UtcNow;
        var good = kit.User("ann", Roles.Operator);
        var parts = good.Split('.');
        return kind switch
        {
            "other key" => new LocalIssuer(LocalIssuer.NewSigningKey())
                .IssueForUser("ann", [Roles.Operator], TimeSpan.FromHours(1), now),
            "alg none" => $"{Encode("""{"alg":"none","typ":"JWT"}""")}.{parts[1]}.",
            "tampered" => $"{parts[0]}.{Tampered(parts[1])}.{parts[2]}",
            "expired" => kit.Issuer.IssueForUser("ann", [Roles.Operator], TimeSpan.FromHours(1), now.AddHours(-2)),
            "far-future exp" => kit.Issuer.IssueForUser("ann", [Roles.Operator], TimeSpan.FromDays(365 * 7000), now),
            "exp beyond any date" => kit.Crafted(With(IdentityTestKit.ValidClaims("ann"), "exp", long.MaxValue)),
            "not yet valid" => kit.Issuer.IssueForUser("ann", [Roles.Operator], TimeSpan.FromHours(1), now.AddHours(1)),
            "no exp" => kit.Crafted(Without(IdentityTestKit.ValidClaims("ann"), "exp")),
            "not a token" => "not a token",
            _ => "a.b.c",
        };
    }

    private static string Tampered(string payload)
    {
        var claims = JsonNode.Parse(Base64UrlEncoder.Decode(payload))!.AsObject();
        claims["roles"] = new JsonArray(Roles.Operator, Roles.Auditor, Roles.CaseOwner);
        return Encode(claims.ToJsonString());
    }

    private static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    private static Dictionary<string, object> With(Dictionary<string, object> claims, string name, object value)
    {
        claims[name] = value;
        return claims;
    }

    private static Dictionary<string, object> Without(Dictionary<string, object> claims, string name)
    {
        claims.Remove(name);
        return claims;
    }
}
