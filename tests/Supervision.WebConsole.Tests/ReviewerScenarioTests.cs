using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Supervision.WebConsole.Tests;

/// <summary>
/// Issue 17's first acceptance scenario in chromium: a customs reviewer signs in, sees only customs'
/// queue with a countdown in Beijing time, opens a case, sees its evidence and the portrait's chart,
/// and approves; the case completes. Then the same pages in English.
/// </summary>
[Collection(ConsoleScenarios.Name)]
public sealed partial class ReviewerScenarioTests(ConsoleHost console)
{
    private static readonly TimeZoneInfo Beijing = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public async Task CustomsReviewer_ApprovesFromTheQueue_CaseCompletes()
    {
        var host = console.Host;
        var taxOnly = await host.StartTaxOnlyReviewAsync();
        await host.WaitForStatusAsync(DemoData.DishonestCase, "Pending");

        // Tax and procurement have decided elsewhere; customs' approval is the last one the case waits for.
        await host.DecideThroughApiAsync(DemoData.DishonestCase, "tax", "approve");
        await host.DecideThroughApiAsync(DemoData.DishonestCase, "procurement", "approve");

        await using var session = await console.OpenAsync();
        var page = session.Page;
        await session.SignInAsync("customs.reviewer", "reviewer-1-signin");

        // My queue: customs' cases only, each with its deadline in Beijing time and a countdown.
        await Expect(page).ToHaveURLAsync(new Regex("#/queue$"));
        var row = page.Locator("tbody tr", new() { Has = page.Locator($"a[href='#/case/{DemoData.DishonestCase}']") });
        await Expect(row).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator($"a[href='#/case/{taxOnly}']")).ToHaveCountAsync(0);
        await Expect(page.Locator("caption")).ToHaveTextAsync("海关待审案件");
        var countdown = row.Locator("[data-deadline]");
        await Expect(countdown).ToHaveTextAsync(TimeLeft());
        var deadline = DateTimeOffset.Parse(
            (await countdown.GetAttributeAsync("data-deadline"))!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        await Expect(row).ToContainTextAsync($"{InBeijing(deadline)} 北京时间");
        await page.ScreenshotAndAxeAsync("reviewer-2-queue");

        // The case: evidence from the feeds, the portrait's history drawn as a chart.
        await row.Locator("a").First.ClickAsync();
        await Expect(page.Locator("h1")).ToContainTextAsync(DemoData.HuaxiaName);
        await Expect(page.Locator(".card .evidence-title").First).ToBeVisibleAsync();
        Assert.True(await page.Locator(".card .evidence-title").CountAsync() >= 3, "the case shows fewer than 3 evidence items");
        var chart = page.Locator(".chart canvas");
        await Expect(chart).ToBeVisibleAsync();
        await Expect(page.Locator("details tbody tr").First).ToBeAttachedAsync();
        Assert.True(
            await chart.EvaluateAsync<bool>("canvas => !!window.Chart && !!window.Chart.getChart(canvas)"),
            "Chart.js drew no chart on the history canvas");
        await page.ScreenshotAndAxeAsync("reviewer-3-case");

        // Approve with a comment; the orchestration completes the review and applies the measures.
        var form = page.Locator("form#decide-customs");
        await form.Locator("textarea").FillAsync("证据充分，同意采取联合惩戒措施。");
        await form.Locator("button[data-verdict='approve']").ClickAsync();
        await Expect(form.Locator(".notice")).ToContainTextAsync("已提交");
        await host.WaitForStatusAsync(DemoData.DishonestCase, "MeasuresInForce");
        await page.ReloadAsync();
        await Expect(page.Locator(".facts dd", new() { HasText = "措施实施中" })).ToBeVisibleAsync();
        await Expect(page.Locator("form#decide-customs")).ToHaveCountAsync(0);
        await page.ScreenshotAndAxeAsync("reviewer-4-case-decided");

        Assert.True(session.Errors.Count == 0, string.Join(Environment.NewLine, session.Errors));
        Assert.Empty(session.Dialogs);
    }

    [Fact]
    public async Task CustomsReviewer_SwitchesToEnglish_QueueAndCaseInEnglishWithBeijingTimes()
    {
        var host = console.Host;
        await host.WaitForStatusAsync(DemoData.IncentiveCase, "Pending");
        await using var session = await console.OpenAsync();
        var page = session.Page;
        await session.SignInAsync("customs.reviewer", "english-1-signin");
        await Expect(page.Locator($"a[href='#/case/{DemoData.IncentiveCase}']")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        await page.Locator("#lang").ClickAsync();

        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(page.Locator("h1")).ToHaveTextAsync("My queue");
        await Expect(page.Locator("caption")).ToHaveTextAsync("Cases awaiting Customs");
        await Expect(page.Locator("[data-deadline]").First).ToHaveTextAsync(EnglishTimeLeft());
        await page.ScreenshotAndAxeAsync("english-2-queue");

        await page.Locator($"a[href='#/case/{DemoData.IncentiveCase}']").ClickAsync();
        await Expect(page.Locator("h2", new() { HasText = "Evidence" })).ToBeVisibleAsync();
        await Expect(page.Locator("h2", new() { HasText = "Portrait history" })).ToBeVisibleAsync();
        await Expect(page.Locator("form#decide-customs button[data-verdict='approve']")).ToHaveTextAsync("Approve");
        await Expect(page.Locator("footer")).ToHaveTextAsync("All times are Beijing time (UTC+8)");
        await Expect(page.Locator(".facts").First).ToContainTextAsync("Beijing time");
        await page.ScreenshotAndAxeAsync("english-3-case");

        // The choice holds for the tab: back in the queue, still English.
        await page.GoBackAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("My queue");
        Assert.True(session.Errors.Count == 0, string.Join(Environment.NewLine, session.Errors));
    }

    /// <summary>How the console writes a UTC instant in Chinese: Beijing's wall clock, zh-CN's numeric form.</summary>
    private static string InBeijing(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, Beijing).ToString("yyyy/MM/dd HH:mm:ss", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^剩余 (\d+ 天 )?(\d+ 小时 )?\d+ 分$")]
    private static partial Regex TimeLeft();

    [GeneratedRegex(@"^(\d+ d )?(\d+ h )?\d+ min left$")]
    private static partial Regex EnglishTimeLeft();
}
