using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Supervision.WebConsole.Tests;

/// <summary>What every page a scenario visits goes through: a full-page screenshot and an axe scan.</summary>
public static class PageChecks
{
    private static readonly string[] Blocking = ["serious", "critical"];

    /// <summary>The folder under the test output where screenshots are saved, one PNG per page visited.</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Saves the whole page (not only the viewport) as screenshots/&lt;name&gt;.png and returns the path.</summary>
    public static async Task<string> SaveScreenshotAsync(this IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>Runs axe in the page and fails on any serious or critical violation, listing each with where it is.</summary>
    public static async Task AssertAccessibleAsync(this IPage page)
    {
        var result = await page.RunAxe();
        var blocking = result.Violations.Where(v => Blocking.Contains(v.Impact, StringComparer.OrdinalIgnoreCase)).ToList();
        Assert.True(blocking.Count == 0, $"axe found on {page.Url}:{Environment.NewLine}{Describe(blocking)}");
    }

    /// <summary>The screenshot and the axe scan together: what each page of a scenario gets.</summary>
    public static async Task<string> ScreenshotAndAxeAsync(this IPage page, string name)
    {
        var path = await page.SaveScreenshotAsync(name);
        await page.AssertAccessibleAsync();
        return path;
    }

    private static string Describe(IEnumerable<AxeResultItem> violations) => string.Join(
        Environment.NewLine,
        violations.Select(v => $"- {v.Impact} {v.Id}: {v.Help} ({v.HelpUrl}) at "
            + string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))));
}
