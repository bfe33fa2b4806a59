using System.Text.Json;
using Supervision.Testing;
using static Microsoft.Playwright.Assertions;

namespace Supervision.WebConsole.Tests;

/// <summary>
/// Issue 17's enterprise scenario in chromium: the enterprise signs in, sees the measures in force
/// against it with their end dates and legal basis, and files an objection, which re-opens the review.
/// </summary>
[Collection(ConsoleScenarios.Name)]
public sealed class EnterpriseScenarioTests(ConsoleHost console)
{
    [Fact]
    public async Task Enterprise_SeesItsMeasures_FilesAnObjection_ReviewReopens()
    {
        var host = console.Host;
        await host.WaitForStatusAsync(DemoData.TaxCase, "Pending");
        foreach (var department in new[] { "tax", "customs", "market-regulator" })
        {
            await host.DecideThroughApiAsync(DemoData.TaxCase, department, "approve");
        }

        await host.WaitForStatusAsync(DemoData.TaxCase, "MeasuresInForce");
        await Eventually.GetAsync(
            async () => (await host.SendAsync(HttpMethod.Get, $"api/reviews/{DemoData.TaxCase}", TestLocalHost.RegulatorToken)).Body,
            b => b.GetProperty("case").GetProperty("objectionDeadline").ValueKind == JsonValueKind.String,
            TimeSpan.FromSeconds(90),
            "the enterprise to be notified with an objection deadline");

        await using var session = await console.OpenAsync();
        var page = session.Page;
        await session.SignInAsEnterpriseAsync(DemoData.Huaxia, "enterprise-1-signin");

        // Its own cases: the tax case's three measures, each in force, with its legal basis and end in Beijing time.
        var section = page.Locator($"section[data-case='{DemoData.TaxCase}']");
        await Expect(section).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var measures = section.Locator("table").First.Locator("tbody tr");
        await Expect(measures).ToHaveCountAsync(3);
        foreach (var code in new[] { "TAX-INVOICE-CONTROL", "CUSTOMS-INSPECTION-RAISED", "SAMR-KEY-SPOT-CHECKS" })
        {
            var row = measures.Filter(new() { HasText = code });
            await Expect(row).ToContainTextAsync("实施中");
            await Expect(row).ToContainTextAsync("北京时间");
            Assert.False(string.IsNullOrWhiteSpace(await row.Locator("td").Nth(2).TextContentAsync()), $"{code} shows no legal basis");
        }

        await page.ScreenshotAndAxeAsync("enterprise-2-cases");

        // The case alone, and the objection filed from it.
        await section.Locator($"h2 a[href='#/enterprise/{DemoData.TaxCase}']").ClickAsync();
        var objection = page.Locator("form[data-kind='objection']");
        await Expect(objection.Locator(".countdown")).ToBeVisibleAsync();
        await page.ScreenshotAndAxeAsync("enterprise-3-case");
        await objection.Locator("textarea").FillAsync("涉案增值税发票为供应商开具，相关凭证已提交税务机关核查。");
        await objection.Locator("button[type=submit]").ClickAsync();

        await Expect(objection.Locator(".notice")).ToContainTextAsync("异议已受理");
        await Expect(objection.Locator("button[type=submit]")).ToBeDisabledAsync();
        await page.ScreenshotAndAxeAsync("enterprise-4-objection-filed");
        await host.WaitForStatusAsync(DemoData.TaxCase, "Pending");
        var (_, view) = await host.SendAsync(HttpMethod.Get, $"api/reviews/{DemoData.TaxCase}", TestLocalHost.RegulatorToken);
        Assert.Contains(
            view.GetProperty("audit").EnumerateArray(), a => a.GetProperty("action").GetString() == "objection-received");
        Assert.True(session.Errors.Count == 0, string.Join(Environment.NewLine, session.Errors));
    }
}
