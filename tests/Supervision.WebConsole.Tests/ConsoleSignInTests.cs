using Supervision.WebConsole;

namespace Supervision.WebConsole.Tests;

/// <summary>Which sign-in the page is told to use, from the host's settings.</summary>
public sealed class ConsoleSignInTests
{
    private const string Tenant = "https://login.microsoftonline.com/00000000-0000-0000-0000-00000000000a/v2.0";
    private const string ClientId = "11111111-2222-3333-4444-555555555555";

    [Fact]
    public void DevelopmentKey_OnTheLocalHost_IsDevelopmentSignIn()
    {
        var settings = Settings((ConsoleSignIn.DevelopmentKeySetting, "k"), ("Auth:Audience", ClientId), ("Auth:Authority", Tenant));

        Assert.Equal("development", ConsoleSignIn.FromSettings(settings, servesDevelopmentTokens: true).Mode);
    }

    [Fact]
    public void DevelopmentKey_InTheFunctionsApp_ChangesNothing()
    {
        var settings = Settings((ConsoleSignIn.DevelopmentKeySetting, "k"), ("Auth:Audience", ClientId), ("Auth:Authority", Tenant));

        Assert.Equal("entra", ConsoleSignIn.FromSettings(settings, servesDevelopmentTokens: false).Mode);
    }

    [Fact]
    public void TheBicepsSettings_GiveMsalTheTenantTheClientAndTheApisDefaultScope()
    {
        // infra/app/functions.bicep sets Auth__Audience to the app registration's client id and Auth__Authority to the v2.0 issuer.
        var signIn = ConsoleSignIn.FromSettings(Settings(("Auth:Audience", ClientId), ("Auth:Authority", Tenant)), false);

        Assert.Equal(
            new ConsoleSignIn("entra", ClientId, "https://login.microsoftonline.com/00000000-0000-0000-0000-00000000000a"),
            signIn with { Scopes = null });
        Assert.Equal([$"api://{ClientId}/.default"], signIn.Scopes);
    }

    [Fact]
    public void ConsoleSettings_OverrideTheDefaults()
    {
        var signIn = ConsoleSignIn.FromSettings(
            Settings(
                ("Auth:Audience", "api://supervision"),
                ("Auth:Authority", Tenant),
                (ConsoleSignIn.ClientIdSetting, "spa-client"),
                (ConsoleSignIn.ScopeSetting, "api://supervision/Cases.Review")),
            false);

        Assert.Equal("spa-client", signIn.ClientId);
        Assert.Equal(["api://supervision/Cases.Review"], signIn.Scopes);
    }

    [Fact]
    public void NoIssuer_IsNoSignIn()
    {
        Assert.Equal("none", ConsoleSignIn.FromSettings(Settings(), false).Mode);
        Assert.Equal("none", ConsoleSignIn.FromSettings(Settings(("Auth:Audience", ClientId)), false).Mode);
    }

    private static Func<string, string?> Settings(params (string Key, string Value)[] values) =>
        key => values.FirstOrDefault(v => v.Key == key).Value;
}
