using System.Text.Json;
using Microsoft.Playwright;

namespace Supervision.WebConsole.Tests;

/// <summary>
/// Chromium, its CJK fonts, Playwright's driver and axe work from this repository's build output
/// against a real local host: the ground every console scenario stands on.
/// </summary>
[Collection(ConsoleScenarios.Name)]
public sealed class BrowserSmokeTests(ConsoleHost console)
{
    [Fact]
    public async Task OpenApiDocument_LoadedInChromium_IsTheHostsJson()
    {
        await using var session = await console.OpenAsync();

        var response = await session.Page.GotoAsync("api/openapi.json");

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/json", response.Headers["content-type"], StringComparison.Ordinal);
        using var document = JsonDocument.Parse(await response.TextAsync());
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.True(document.RootElement.GetProperty("paths").EnumerateObject().Any(), "the document lists no paths");
        await session.Page.SaveScreenshotAsync("smoke-openapi-json");
    }

    [Fact]
    public async Task ChineseParagraph_Rendered_DrawsDistinctGlyphsNotEmptyBoxes()
    {
        await using var session = await console.OpenAsync();
        await session.Page.SetContentAsync("""
            <!doctype html>
            <html lang="zh-CN">
            <head><meta charset="utf-8"><title>中文渲染检查 Chinese rendering check</title></head>
            <body style="font-family: sans-serif; font-size: 20px; margin: 24px">
              <main>
                <h1>联合惩戒审查台</h1>
                <p>海关审查员在截止时间（北京时间）前审查华夏示例食品有限公司的案件：证据、信用画像与各部门的决定。</p>
                <p lang="en">Joint review console: Chinese first, English beside it.</p>
              </main>
            </body>
            </html>
            """);

        // Without a CJK font every ideograph falls back to the same empty box, so two different
        // characters would draw the same pixels; with one, they differ and both have ink.
        var glyphs = await session.Page.EvaluateAsync<JsonElement>("""
            () => {
              const draw = ch => {
                const canvas = document.createElement('canvas');
                canvas.width = 48; canvas.height = 48;
                const g = canvas.getContext('2d');
                g.fillStyle = '#fff'; g.fillRect(0, 0, 48, 48);
                g.fillStyle = '#000'; g.font = '40px sans-serif'; g.textBaseline = 'top';
                g.fillText(ch, 4, 4);
                return Array.from(g.getImageData(0, 0, 48, 48).data.filter((_, i) => i % 4 === 0));
              };
              const a = draw('审'), b = draw('海');
              return {
                inkA: a.filter(v => v < 128).length,
                inkB: b.filter(v => v < 128).length,
                differing: a.filter((v, i) => Math.abs(v - b[i]) > 64).length,
              };
            }
            """);
        var path = await session.Page.SaveScreenshotAsync("smoke-chinese-paragraph");
        await session.Page.AssertAccessibleAsync();

        Assert.True(glyphs.GetProperty("inkA").GetInt32() > 50, $"'审' drew almost nothing: {glyphs}");
        Assert.True(glyphs.GetProperty("inkB").GetInt32() > 50, $"'海' drew almost nothing: {glyphs}");
        Assert.True(glyphs.GetProperty("differing").GetInt32() > 50, $"'审' and '海' drew the same box (no CJK font?): {glyphs}");
        Assert.True(new FileInfo(path).Length > 10_000, $"{path} is nearly empty");
        Assert.True(session.Errors.Count == 0, string.Join(Environment.NewLine, session.Errors));
    }

    [Fact]
    public async Task Launch_ChromiumMissing_FailsSayingWhatToInstall()
    {
        using var playwright = await Playwright.CreateAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => Chromium.LaunchAsync(playwright, "/nonexistent/chromium"));

        Assert.Contains("apt-get install -y chromium fonts-noto-cjk", error.Message, StringComparison.Ordinal);
        Assert.Contains(Chromium.PathVariable, error.Message, StringComparison.Ordinal);
    }
}
