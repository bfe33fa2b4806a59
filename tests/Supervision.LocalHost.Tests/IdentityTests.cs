using System.Text.Json;
using Supervision.Domain.Reviews;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api;
using Supervision.LocalHost.Identity;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests;

/// <summary>
/// The local host as a caller meets it: its own OpenID issuer, tokens validated through its metadata,
/// the caller directory kept through the operator routes, and the token command's refusals.
/// </summary>
public sealed class IdentityTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string Uscc = "91110000D3M000004N";

    [Fact]
    public async Task LocalHost_TokensFromItsIssuerOnly_OthersAre401()
    {
        await using var host = await TestLocalHost.StartAsync(azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: false);
        var now = DateTimeOffset.UtcNow;
        var stranger = new LocalIssuer(LocalIssuer.NewSigningKey());
        string[] refused =
        [
            stranger.IssueForUser("op", [Roles.Operator], TimeSpan.FromHours(1), now),
            TestLocalHost.Issuer.IssueForUser("op", [Roles.Operator], TimeSpan.FromHours(1), now.AddHours(-3)),
            TestLocalHost.Issuer.IssueForUser("op", [Roles.Operator], TimeSpan.FromDays(365 * 5000), now),
            TestLocalHost.RoleToken(Roles.Operator)[..^4] + "AAAA",
            "sv1.eyJTdWIiOiJvcCJ9.c2ln",
        ];

        var accepted = await host.SendAsync(HttpMethod.Get, "api/operator/directory/nobody", TestLocalHost.RoleToken(Roles.Operator));
        Assert.Equal(404, accepted.Status);
        foreach (var token in refused)
        {
            Assert.Equal(401, (await host.SendAsync(HttpMethod.Get, "api/operator/directory/nobody", token)).Status);
        }
    }

    [Fact]
    public async Task LocalHost_ServesItsMetadataAndPublicKeyOutsideTheApi()
    {
        await using var host = await TestLocalHost.StartAsync(azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: false);

        using var metadata = JsonDocument.Parse(await host.Http.GetStringAsync(LocalIssuer.MetadataPath.TrimStart('/')));
        using var keys = JsonDocument.Parse(await host.Http.GetStringAsync(LocalIssuer.KeysPath.TrimStart('/')));

        Assert.Equal(LocalIssuer.Issuer, metadata.RootElement.GetProperty("issuer").GetString());
        Assert.Equal($"http://127.0.0.1:{host.Port}{LocalIssuer.KeysPath}", metadata.RootElement.GetProperty("jwks_uri").GetString());
        var key = Assert.Single(keys.RootElement.GetProperty("keys").EnumerateArray());
        Assert.False(key.TryGetProperty("d", out _), "the key set must not carry the private exponent");
    }

    [Fact]
    public async Task DirectoryRoutes_OperatorMapsASubject_ItsTokenThenSpeaksForTheEnterprise()
    {
        await using var host = await TestLocalHost.StartAsync(azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: false);
        var subject = $"user-{Guid.NewGuid():N}";
        var token = TestLocalHost.Issuer.IssueForUser(subject, [], TimeSpan.FromHours(1), DateTimeOffset.UtcNow);
        var portrait = $"api/portraits/{Uscc}";
        var body = $$"""{"uscc":"{{Uscc}}"}""";

        Assert.Equal(403, (await host.SendAsync(HttpMethod.Get, portrait, token)).Status);
        var path = $"api/operator/directory/{subject}";
        Assert.Equal(403, (await host.SendAsync(HttpMethod.Put, path, TestLocalHost.Token("customs"), body)).Status);
        Assert.Equal(400, (await host.SendAsync(HttpMethod.Put, path, TestLocalHost.RegulatorToken, """{"uscc":"nonsense"}""")).Status);
        var (status, stored) = await host.SendAsync(HttpMethod.Put, path, TestLocalHost.RegulatorToken, body);

        Assert.Equal(200, status);
        Assert.Equal("regulator", stored.GetProperty("updatedBy").GetString());
        Assert.Equal(Uscc, (await host.SendAsync(HttpMethod.Get, path, TestLocalHost.RegulatorToken)).Body.GetProperty("uscc").GetString());

        // Past the gate now, as the enterprise itself: the portrait route answers (it has none yet), not the gate.
        Assert.Equal(404, (await host.SendAsync(HttpMethod.Get, portrait, token)).Status);
    }

    [Fact]
    public async Task TestHelpers_EnterpriseAndInstitutionTokens_ResolveThroughTheDirectory()
    {
        await using var host = await TestLocalHost.StartAsync(azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: false);
        var enterprise = TestLocalHost.EnterpriseToken(Uscc);
        var institution = TestLocalHost.InstitutionToken("credit-bureau-a");
        await host.SendAsync(HttpMethod.Get, "api/health", null);
        var resolver = host.Services.GetRequiredService<CallerResolver>();

        Assert.Equal(
            Caller.EnterpriseOf($"enterprise-{Uscc}", Uscc),
            await resolver.ResolveAsync(Bearer(enterprise), CancellationToken.None));
        Assert.Equal(
            new Caller("institution-credit-bureau-a", [], Institution: "credit-bureau-a"),
            await resolver.ResolveAsync(Bearer(institution), CancellationToken.None));
    }

    [Theory]
    [InlineData("--department nowhere", "未知部门 'nowhere' / unknown department 'nowhere'")]
    [InlineData("--department", "--department needs a value")]
    [InlineData("--department --role supervisor", "--department needs a value")]
    [InlineData("--role whatever", "unknown role 'whatever'")]
    [InlineData("--role nowhere.reviewer", "unknown role 'nowhere.reviewer'")]
    [InlineData("--role supervisor", "needs --department")]
    [InlineData("--enterprise 91110000D3M000004M", "is not a USCC")]
    [InlineData("--enterprise 91110000D3M000004N --institution bureau", "exactly one")]
    [InlineData("", "give a role")]
    [InlineData("--hours 100 --role operator", "at most 24")]
    [InlineData("--deparment customs", "unknown argument '--deparment'")]
    public void TokenCommand_WhatItCannotSign_IsRefusedWithAReason(string arguments, string reason)
    {
        var (request, error) = TokenCommand.Parse(Split(arguments), Departments);

        Assert.Null(request);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--department customs", "customs.reviewer", null)]
    [InlineData("--department customs --department tax --role supervisor", "customs.supervisor tax.supervisor", null)]
    [InlineData("--role operator,auditor --role market-regulator.case-owner", "operator auditor market-regulator.case-owner", null)]
    [InlineData("--enterprise 91110000D3M000004N", "", "91110000D3M000004N")]
    [InlineData("--uscc 91110000D3M000004N --role customs.reviewer", "customs.reviewer", "91110000D3M000004N")]
    public void TokenCommand_Roles_AreEveryOneAskedFor(string arguments, string roles, string? uscc)
    {
        var (request, error) = TokenCommand.Parse(Split(arguments), Departments);

        Assert.Null(error);
        Assert.Equal(roles.Split(' ', StringSplitOptions.RemoveEmptyEntries), request!.Roles);
        Assert.Equal(uscc, request.Entry?.Uscc);
        Assert.Equal(request.Subject, request.Entry?.Subject ?? request.Subject);
    }

    private static IReadOnlySet<string> Departments => TokenCommand.KnownDepartments(MemorandumCatalog.LoadEmbedded());

    private static ApiRequest Bearer(string token) =>
        new(new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" }, new Dictionary<string, string>(), string.Empty);

    private static string[] Split(string arguments) => arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
