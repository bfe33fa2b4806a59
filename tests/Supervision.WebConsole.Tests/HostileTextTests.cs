using Supervision.Domain.Security;
using Supervision.Testing;
using static Microsoft.Playwright.Assertions;

namespace Supervision.WebConsole.Tests;

/// <summary>
/// Issue 17: titles from hostile feeds render inert. The hostile feed's item, titled with markup,
/// is kept as an unlinked mention; the operations page must show its title as text and run nothing.
/// </summary>
[Collection(ConsoleScenarios.Name)]
public sealed class HostileTextTests(ConsoleHost console)
{
    private const string HostileTitle = "<img src=x onerror=alert(1)>";

    [Fact]
    public async Task FeedItemTitledWithMarkup_ShownToAnOperator_IsLiteralTextAndRunsNothing()
    {
        await Eventually.GetAsync(
            async () => (await console.Host.SendAsync(
                HttpMethod.Get, "api/operator/unlinked?pageSize=200", TestLocalHost.RoleToken(Roles.Operator))).Body.ToString(),
            body => body.Contains("onerror=alert(1)", StringComparison.Ordinal),
            TimeSpan.FromSeconds(120),
            "the hostile feed's item to be kept as an unlinked mention");
        await using var session = await console.OpenAsync();
        var page = session.Page;
        await session.SignInAsync("operator", "hostile-1-signin");
        await page.GotoAsync("console/#/operations");

        var title = page.Locator("article.mention h3", new() { HasText = HostileTitle });
        await Expect(title).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(title).ToHaveTextAsync(HostileTitle);
        await page.ScreenshotAndAxeAsync("hostile-2-operations");

        // Nothing was parsed as markup: no image element from the title, no script from the excerpt, no dialog.
        Assert.Equal(0, await page.Locator("main img").CountAsync());
        Assert.Equal(0, await page.Locator("main script").CountAsync());
        await page.WaitForTimeoutAsync(1000);
        Assert.True(session.Dialogs.Count == 0, "dialogs opened: " + string.Join("; ", session.Dialogs));
        Assert.True(session.Errors.Count == 0, string.Join(Environment.NewLine, session.Errors));
    }
}
