using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Supervision.WebConsole.Tests;

/// <summary>Signing in through the local host's development sign-in page, as a person at the console does.</summary>
public static class DevelopmentSignInSteps
{
    /// <summary>The development key the test host is given (Console:DevelopmentKey).</summary>
    public const string DevelopmentKey = "browser-tests-development-key";

    /// <summary>
    /// Opens the sign-in page, checks it (screenshot and axe), signs in as a staff role such as
    /// "customs.reviewer" or "operator", and waits for the console to show the signed-in person.
    /// </summary>
    public static Task SignInAsync(this BrowserSession session, string role, string screenshot) =>
        SignInAsync(session, role, null, screenshot);

    /// <summary>Signs in as the enterprise with this USCC.</summary>
    public static Task SignInAsEnterpriseAsync(this BrowserSession session, string uscc, string screenshot) =>
        SignInAsync(session, "enterprise", uscc, screenshot);

    private static async Task SignInAsync(BrowserSession session, string role, string? uscc, string screenshot)
    {
        var page = session.Page;
        await page.GotoAsync("console/signin.html");

        // The roles on offer come from the host; the form is ready once they are in the list.
        await page.Locator($"#role option[value='{role}']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("#key").FillAsync(DevelopmentKey);
        await page.Locator("#role").SelectOptionAsync(role);
        if (uscc is not null)
        {
            await page.Locator("#uscc").FillAsync(uscc);
        }

        await page.ScreenshotAndAxeAsync(screenshot);
        await page.Locator("#signin button[type=submit]").ClickAsync();

        // The page goes to /console/, which routes to the person's first page by a hash change (no load event).
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/console/#/"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#who")).Not.ToBeEmptyAsync();
    }
}
