using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Supervision.LocalHost.Tooling;
using Supervision.Testing;

namespace Supervision.WebConsole.Tests;

/// <summary>
/// One local host over its own Azurite, pulling the demo feeds as `dotnet run` does (so the demo's
/// cases, evidence and portraits fill in as the scenarios run) plus <see cref="HostileSource"/>,
/// and one headless chromium, shared by every browser test of the run.
/// </summary>
public sealed class ConsoleHost : IAsyncLifetime
{
    /// <summary>The feed whose items' titles are markup (Feeds/hostile-watch.xml).</summary>
    public const string HostileSource = "test-hostile-watch";

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
        var port = AzuriteProcess.FreePorts(1)[0];
        host = await TestLocalHost.StartAsync(
            azurite.ConnectionString,
            TestLocalHost.NewTaskHub(),
            withDemoFeeds: true,
            port: port,
            overrides: new Dictionary<string, string?>
            {
                ["Ingestion:SourcesFile"] = await WriteSourcesAsync(port),
                [Supervision.WebConsole.ConsoleSignIn.DevelopmentKeySetting] = DevelopmentSignInSteps.DevelopmentKey,

                // Long enough that a scenario's case is still open, and its measures still in force
                // and objectionable, however slowly the two shared cores run the scenarios before it.
                ["Reviews:DecisionWindow"] = "00:30:00",
                ["Reviews:MeasureDuration"] = "00:30:00",
                ["Reviews:ObjectionWindow"] = "00:30:00",
            });
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

    /// <summary>The demo's sources with this host's port, and the hostile feed beside them.</summary>
    private static async Task<string> WriteSourcesAsync(int port)
    {
        var demo = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Demo", "sources.json"));
        var sources = JsonNode.Parse(demo.Replace("127.0.0.1:7071", $"127.0.0.1:{port}", StringComparison.Ordinal))!;
        sources["sources"]!.AsArray().Add(new JsonObject
        {
            ["id"] = HostileSource,
            ["name"] = "Hostile Watch (browser tests)",
            ["kind"] = "publicOpinionMonitor",
            ["format"] = "feed",
            ["trustWeight"] = 0.5,
            ["url"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/demo/feeds/hostile-watch.xml"),
            ["schedule"] = "*/5 * * * * *",
        });
        var file = Path.Combine(Path.GetTempPath(), $"console-sources-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, sources.ToJsonString());
        return file;
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
