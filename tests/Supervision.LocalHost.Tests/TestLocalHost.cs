using Supervision.Domain.Reviews;
using Supervision.Domain.Portraits;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Hosting;
using Supervision.Infrastructure.Storage;
using Supervision.LocalHost;
using Supervision.LocalHost.Tooling;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests;

/// <summary>A whole local host on free ports over the test's Azurite, as the run command starts it.</summary>
public sealed class TestLocalHost : IAsyncDisposable
{
    private static readonly byte[] TokenKey = Encoding.UTF8.GetBytes("local host tests token key, 32b!");
    private readonly WebApplication app;

    private TestLocalHost(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    public int Port { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => app.Services;

    public SupervisionStorage Storage => app.Services.GetRequiredService<SupervisionStorage>();

    /// <param name="withDemoFeeds">
    /// Pull the demo feeds from this host's own demo publisher; otherwise pull nothing.
    /// </param>
    /// <param name="ownedAzurite">The Azurite the host started, as the run command's is: restarted if it dies.</param>
    public static async Task<TestLocalHost> StartAsync(
        string connectionString,
        string taskHub,
        bool withDemoFeeds,
        QueueSettings? queues = null,
        int? port = null,
        IDictionary<string, string?>? overrides = null,
        AzuriteProcess? ownedAzurite = null)
    {
        var free = AzuriteProcess.FreePorts(2);
        var httpPort = port ?? free[0];
        var sources = Path.Combine(Path.GetTempPath(), $"sources-{Guid.NewGuid():N}.json");
        var demo = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Demo", "sources.json"))
            .Replace("127.0.0.1:7071", $"127.0.0.1:{httpPort}", StringComparison.Ordinal);
        await File.WriteAllTextAsync(sources, withDemoFeeds ? demo : """{"sources":[]}""");

        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connectionString,
            ["FEED_PULL_SCHEDULE"] = "*/2 * * * * *",
            ["INBOX_SCAN_SCHEDULE"] = "*/2 * * * * *",
            ["PORTRAIT_REASSESS_SCHEDULE"] = "0 5 0 * * *",
            ["SOURCE_MEASURE_SCHEDULE"] = "0 */10 * * * *",
            ["Ingestion:SourcesFile"] = sources,
            ["Enterprises:SeedFile"] = "Demo/enterprises.csv",
            ["Scoring:ModelDirectory"] = TestModel.Directory,
            ["Reviews:DecisionWindow"] = "00:10:00",
            ["Reviews:FeedbackWindow"] = "00:00:10",
            ["Reviews:MeasureDuration"] = "00:00:20",
            ["Alerts:WebhookUrl"] = $"http://127.0.0.1:{httpPort}/demo/webhook",
            ["Alerts:WebhookSecret"] = "test webhook secret",
            ["Auth:DevelopmentTokenKey"] = Convert.ToBase64String(TokenKey),
            ["Telemetry:Console"] = "false",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var app = LocalHostApp.Build(
            new LocalHostSettings(
                settings,
                httpPort,
                free[1],
                taskHub,
                queues ?? QueueSettings.Defaults with { VisibilityTimeout = TimeSpan.Zero, MaxPollingInterval = TimeSpan.FromSeconds(1) },
                Encoding.UTF8.GetBytes("test webhook secret"),
                ownedAzurite),
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        return new TestLocalHost(app, httpPort);
    }

    /// <summary>
    /// A joint-punishment review of a sample D-grade enterprise by customs, tax and procurement, started directly
    /// rather than by signals.
    /// </summary>
    public static ReviewRequest DishonestReview(string caseId, ReviewTimings timings)
    {
        var memorandum = MemorandumCatalog.LoadEmbedded().Get("JP-DISHONEST-2016");
        return new ReviewRequest(
            caseId,
            "91310000D3M000002X",
            "东方样本化工股份有限公司",
            memorandum.Id,
            memorandum.Kind,
            CreditGrade.D,
            40,
            [],
            memorandum.Departments,
            TimeSpan.FromMinutes(10),
            DateTimeOffset.UtcNow,
            Timings: timings,
            Revision: ReviewRequest.CurrentRevision);
    }

    public static string Token(string department, string role = Roles.Reviewer) =>
        new DevelopmentTokens(TokenKey, TimeProvider.System)
            .Issue(new Caller($"{department}-{role}", department, role), TimeSpan.FromHours(1));

    public async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? token, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public Task<(int Status, JsonElement Body)> DecideAsync(string caseId, string department, string verdict, string? token) =>
        SendAsync(
            HttpMethod.Post,
            $"api/reviews/{caseId}/departments/{department}/decision",
            token,
            $$"""{"verdict":"{{verdict}}","comment":"test"}""");

    public async Task<string?> CaseStatusAsync(string caseId)
    {
        var (status, body) = await SendAsync(HttpMethod.Get, $"api/reviews/{caseId}", Token("market-regulator", Roles.Operator));
        return status == 200 ? body.GetProperty("case").GetProperty("status").GetString() : null;
    }

    public static string NewTaskHub() => "T" + Guid.NewGuid().ToString("N")[..12].ToUpper(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
