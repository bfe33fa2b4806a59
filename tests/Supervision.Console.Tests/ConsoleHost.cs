using Microsoft.Playwright;
using Supervision.Testing;

namespace Supervision.Console.Tests;

/// <summary>
/// One local host over its own Azurite, pulling the demo feeds as `dotnet run` does (so the demo's
/// cases, evidence and portraits fill in as the scenarios run), and one headless chromium,
/// shared by every browser test of the run.
/// </summary>
public sealed class ConsoleHost : IAsyncLifetime
{
    private readonly AzuriteFixture azurite = new();
    private IPlaywright? playwright;
    private IBrowser? browser;
    private TestLocalHost? host;

    public TestLocalHost Host => host ?? throw new InvalidOperationException("The local host has not started");

    public Uri BaseAddress => Host.Http.BaseAddress!;

    public async Task InitializeAsync()
    {
        // The browser first: without chromium nothing here can run, and its message says what to install.
        playwright = await Playwright.CreateAsync();
        browser = await Chromium.LaunchAsync(playwright);
        await azurite.InitializeAsync();
        host = await TestLocalHost.StartAsync(azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: true);
    }

    /// <summary>
    /// A fresh browser context (no cookies or storage from another scenario) on the local host.
    /// The browser's clock zone is UTC, as the platform's is: Beijing times on the page must come
    /// from the console's own conversion, not from the machine it runs on.
    /// </summary>
    public async Task<BrowserSession> OpenAsync(string locale = "zh-CN")
    {
        var context = await (browser ?? throw new InvalidOperationException("chromium has not started")).NewContextAsync(
            new BrowserNewContextOptions
            {
                BaseURL = BaseAddress.ToString(),
                Locale = locale,
                TimezoneId = "UTC",
                ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            });
        return await BrowserSession.StartAsync(context);
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.CloseAsync();
        }

        playwright?.Dispose();
        if (host is not null)
        {
            await host.DisposeAsync();
        }

        await azurite.DisposeAsync();
    }
}

/// <summary>The browser tests' one host and browser: a collection, so it starts once for all of them.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleScenarios : ICollectionFixture<ConsoleHost>
{
    public const string Name = "console";
}
