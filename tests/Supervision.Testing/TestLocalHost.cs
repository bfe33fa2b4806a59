using Supervision.Domain.Reviews;
using Supervision.Domain.Portraits;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Hosting;
using Supervision.Infrastructure.Api.Identity;
using Supervision.Infrastructure.Storage;
using Supervision.LocalHost;
using Supervision.LocalHost.Identity;
using Supervision.LocalHost.Tooling;

namespace Supervision.Testing;

/// <summary>A whole local host on free ports over the test's Azurite, as the run command starts it.</summary>
public sealed class TestLocalHost : IAsyncDisposable
{
    /// <summary>One signing key for the test run: every test host serves it as its local issuer's.</summary>
    public static readonly string SigningKey = LocalIssuer.NewSigningKey();

    public static readonly LocalIssuer Issuer = new(SigningKey);

    // Enterprises and institutions whose tokens were handed out, registered in each host's caller directory before its next request.
    private static readonly ConcurrentDictionary<string, DirectoryEntry> Enterprises = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DirectoryEntry> registered = new(StringComparer.Ordinal);
    private readonly WebApplication app;

    private TestLocalHost(WebApplication app, int port)
    {
        this.app = app;
        Port = port;
        Http = new HttpClient(new RegisterEnterprises(this) { InnerHandler = new HttpClientHandler() })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
        };
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
            [LocalIssuer.SigningKeySetting] = SigningKey,
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
            Revision: ReviewRequest.CurrentRevision,
            Owner: memorandum.Owner);
    }

    /// <summary>A reviewer's (or supervisor's) token for one department, from the local issuer.</summary>
    public static string Token(string department, string role = Roles.Reviewer) =>
        Issue($"{department}-{role}", [$"{department}.{role}"]);

    /// <summary>The market regulator's staff who own cases and read them, as the demo's regulator does.</summary>
    public static string RegulatorToken => Issue("regulator", [Roles.CaseOwner, Roles.Operator, Roles.Auditor]);

    /// <summary>A token with one app role only (an operator, an auditor, an invented role).</summary>
    public static string RoleToken(string role) => Issue($"local-{role}", [role]);

    /// <summary>
    /// An enterprise's own token: a user with no app role whom the caller directory maps to this USCC.
    /// The entry is written into each test host's directory before that host's next request, as an
    /// operator would with PUT operator/directory/{subject}.
    /// </summary>
    public static string EnterpriseToken(string uscc)
    {
        var subject = $"enterprise-{uscc}";
        Enterprises[subject] = new DirectoryEntry(subject, uscc, null);
        return Issue(subject, []);
    }

    /// <summary>
    /// A third-party institution's machine client: an app-only token (its app id, no app role) whom
    /// the caller directory maps to this institution id, registered as <see cref="EnterpriseToken"/> is.
    /// </summary>
    public static string InstitutionToken(string institution)
    {
        var appId = $"institution-{institution}";
        Enterprises[appId] = new DirectoryEntry(appId, null, institution);
        return Issuer.IssueForApp(appId, [], TimeSpan.FromHours(1), DateTimeOffset.UtcNow);
    }

    private static string Issue(string subject, IReadOnlyList<string> roles) =>
        Issuer.IssueForUser(subject, roles, TimeSpan.FromHours(1), DateTimeOffset.UtcNow);

    private async Task RegisterEnterprisesAsync(CancellationToken cancellationToken)
    {
        foreach (var (subject, entry) in Enterprises)
        {
            if (!registered.ContainsKey(subject))
            {
                await Services.GetRequiredService<CallerDirectory>().SaveAsync(entry, "test-helper", cancellationToken);
                registered[subject] = entry;
            }
        }
    }

    /// <summary>Registers the enterprises whose tokens were handed out before each request leaves.</summary>
    private sealed class RegisterEnterprises(TestLocalHost host) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await host.RegisterEnterprisesAsync(cancellationToken);
            return await base.SendAsync(request, cancellationToken);
        }
    }

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
        var (status, body) = await SendAsync(HttpMethod.Get, $"api/reviews/{caseId}", RegulatorToken);
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
