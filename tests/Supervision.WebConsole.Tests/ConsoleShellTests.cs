using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Supervision.WebConsole.Tests;

/// <summary>The console's shell in chromium: development sign-in, the policy its pages are served under, and the API reference.</summary>
[Collection(ConsoleScenarios.Name)]
public sealed partial class ConsoleShellTests(ConsoleHost console)
{
    [Fact]
    public async Task SignIn_WrongDevelopmentKey_ShowsTheChineseAndEnglishRefusal()
    {
        await using var session = await console.OpenAsync();
        var page = session.Page;
        await page.GotoAsync("console/signin.html");
        await page.Locator("#role option[value='customs.reviewer']").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        await page.Locator("#key").FillAsync("not the key");
        await page.Locator("#role").SelectOptionAsync("customs.reviewer");
        await page.Locator("#signin button[type=submit]").ClickAsync();

        await Expect(page.Locator("#error")).ToHaveTextAsync("开发登录密钥不正确 Wrong development key");
        await page.ScreenshotAndAxeAsync("signin-wrong-key");
        Assert.EndsWith("/console/signin.html", page.Url, StringComparison.Ordinal);
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('supervision.token')"));
    }

    [Fact]
    public async Task ConsolePage_Served_ForbidsInlineAndForeignScript()
    {
        await using var session = await console.OpenAsync();

        var response = await session.Page.GotoAsync("console/signin.html");

        Assert.NotNull(response);
        var policy = await response.HeaderValueAsync("content-security-policy");
        Assert.NotNull(policy);
        var scripts = ScriptSources().Match(policy);
        Assert.True(scripts.Success, $"no script-src in {policy}");
        Assert.Equal("'self'", scripts.Groups[1].Value.Trim());
        Assert.Equal("nosniff", await response.HeaderValueAsync("x-content-type-options"));

        // The policy holds in the browser: an inline script added to the page does not run.
        await session.Page.EvaluateAsync("""
            () => {
              const script = document.createElement('script');
              script.textContent = 'window.inlineRan = true';
              document.body.append(script);
            }
            """);
        Assert.False(await session.Page.EvaluateAsync<bool>("() => window.inlineRan === true"));
    }

    [Fact]
    public async Task SignedInReviewer_OpensTheApiReference_SeesTheDocumentsRoutes()
    {
        await using var session = await console.OpenAsync();
        await session.SignInAsync("customs.reviewer", "api-reference-1-signin");
        var page = await OpenApiReferenceAsync(session);

        Assert.True(await page.Locator(".opblock").CountAsync() > 10, "the reference shows few operations");
        await Expect(page.Locator(".opblock-summary-path", new() { HasText = "/reviews/{caseId}" }).First).ToBeVisibleAsync();
        await page.SaveScreenshotAsync("api-reference-2-page");
        Assert.True(session.Errors.Count == 0, string.Join(Environment.NewLine, session.Errors));
    }

    /// <summary>Issue 17: axe finds no serious or critical violation on any page, the API reference included.</summary>
    [Fact]
    public async Task ApiReference_ScannedByAxe_HasNoSeriousOrCriticalViolation()
    {
        await using var session = await console.OpenAsync();
        await session.SignInAsync("customs.reviewer", "api-reference-axe-1-signin");
        var page = await OpenApiReferenceAsync(session);

        await page.AssertAccessibleAsync();
    }

    private static async Task<IPage> OpenApiReferenceAsync(BrowserSession session)
    {
        await session.Page.GotoAsync("console/api.html");

        // Swagger UI renders one block per operation from the host's own openapi.json.
        await Expect(session.Page.Locator(".opblock").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        return session.Page;
    }

    [GeneratedRegex("script-src ([^;]*)")]
    private static partial Regex ScriptSources();
}
