using Microsoft.Playwright;

namespace Supervision.WebConsole.Tests;

/// <summary>
/// One page in its own browser context, recording what a scenario must see stay empty: script
/// errors, console errors (a Content-Security-Policy refusal is one), failed responses and dialogs (an injected
/// <c>alert(1)</c> is one; each is dismissed so the page goes on).
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly List<string> errors = [];
    private readonly List<string> dialogs = [];
    private readonly IBrowserContext context;

    private BrowserSession(IBrowserContext context, IPage page)
    {
        this.context = context;
        Page = page;
        page.PageError += (_, error) => Record(errors, "page error: " + error);
        page.Console += (_, message) =>
        {
            // The browser asks for /favicon.ico by itself where a page names no icon; that is no error of the page's.
            if (message.Type == "error" && !message.Location.Contains("/favicon.ico:", StringComparison.Ordinal))
            {
                Record(errors, $"console error: {message.Text} ({message.Location})");
            }
        };
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && new Uri(response.Url).AbsolutePath != "/favicon.ico")
            {
                Record(errors, $"HTTP {response.Status}: {response.Request.Method} {response.Url}");
            }
        };
        page.Dialog += async (_, dialog) =>
        {
            Record(dialogs, $"{dialog.Type}: {dialog.Message}");
            await dialog.DismissAsync();
        };
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Errors => Snapshot(errors);

    public IReadOnlyList<string> Dialogs => Snapshot(dialogs);

    public static async Task<BrowserSession> StartAsync(IBrowserContext context) => new(context, await context.NewPageAsync());

    public async ValueTask DisposeAsync() => await context.CloseAsync();

    // Playwright raises its events on its own connection's thread while the test reads the lists.
    private static void Record(List<string> list, string entry)
    {
        lock (list)
        {
            list.Add(entry);
        }
    }

    private static string[] Snapshot(List<string> list)
    {
        lock (list)
        {
            return [.. list];
        }
    }
}
