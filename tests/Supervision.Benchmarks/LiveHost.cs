using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Supervision.Infrastructure.Hosting;
using Supervision.LocalHost;
using Supervision.LocalHost.Identity;
using Supervision.LocalHost.Tooling;
using Supervision.Trainer;

namespace Supervision.Benchmarks;

/// <summary>
/// What the live benchmarks (latency, scale) run on: Azurite in memory on free ports, the
/// benchmark's publisher and webhook sink, and the local host with the sources it is given,
/// pulling them on its real timer and delivering alerts to the sink.
/// </summary>
internal sealed class LiveHost : IAsyncDisposable
{
    private LiveHost(AzuriteProcess azurite, BenchPublisher publisher, WebApplication app, string directory)
    {
        Azurite = azurite;
        Publisher = publisher;
        App = app;
        Directory = directory;
    }

    public AzuriteProcess Azurite { get; }

    public BenchPublisher Publisher { get; }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    private string Directory { get; }

    /// <summary>The id of the benchmark's feed source number <paramref name="feed"/>.</summary>
    public static string SourceId(int feed) => string.Create(CultureInfo.InvariantCulture, $"bench-feed-{feed:D4}");

    /// <summary>
    /// Starts everything. <paramref name="sourceSchedule"/> is each source's own schedule;
    /// <paramref name="pullSchedule"/> the PullFeeds tick. The enterprises are imported on start
    /// when a seed file is given, as the product does.
    /// </summary>
    public static async Task<LiveHost> StartAsync(
        int feeds,
        int keepPerFeed,
        string pullSchedule,
        string sourceSchedule,
        string? enterpriseSeed,
        TimeSpan? maxPollingInterval = null,
        Action<string>? log = null)
    {
        var root = ModelPaths.FindRepositoryRoot();
        var directory = Path.Combine(Path.GetTempPath(), "supervision-bench-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var azurite = await AzuriteProcess.StartOnFreePortsAsync(root, TextWriter.Null);
        var publisher = await BenchPublisher.StartAsync(feeds, keepPerFeed);
        var sourcesFile = Path.Combine(directory, "sources.json");
        var sources = Enumerable.Range(0, feeds).Select(i => new
        {
            id = SourceId(i),
            name = string.Create(CultureInfo.InvariantCulture, $"Bench publisher {i}"),
            kind = "publicOpinionMonitor",
            format = "feed",
            trustWeight = 0.9,
            url = publisher.FeedUrl(i).ToString(),
            schedule = sourceSchedule,
        });
        await File.WriteAllTextAsync(sourcesFile, JsonSerializer.Serialize(new { sources }));

        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["FEED_PULL_SCHEDULE"] = pullSchedule,
            ["INBOX_SCAN_SCHEDULE"] = "0 0 0 1 1 *",
            ["PORTRAIT_REASSESS_SCHEDULE"] = "0 5 0 * * *",
            ["SOURCE_MEASURE_SCHEDULE"] = "0 */10 * * * *",
            ["Ingestion:SourcesFile"] = sourcesFile,
            ["Enterprises:SeedFile"] = enterpriseSeed,
            ["Scoring:ModelDirectory"] = ModelPaths.EnsureModels(root, TextWriter.Null),
            [LocalIssuer.SigningKeySetting] = LocalIssuer.NewSigningKey(),
            ["Alerts:WebhookUrl"] = publisher.WebhookUrl.ToString(),
            ["Alerts:WebhookSecret"] = "benchmark webhook secret",
            ["Telemetry:Console"] = "false",

            // Long windows: no reminder or escalation falls inside a run, so the first alert of a
            // case is the one its opening sends.
            ["Reviews:DecisionWindow"] = "01:00:00",
            ["Reviews:FeedbackWindow"] = "01:00:00",
        };
        // host.json's queue settings, as the Functions host reads them; a benchmark may try another
        // polling ceiling to measure what the setting costs in latency.
        var queues = HostJson.ReadQueueSettings(Path.Combine(root, "host.json"));
        queues = maxPollingInterval is { } ceiling ? queues with { MaxPollingInterval = ceiling } : queues;
        var clock = Stopwatch.StartNew();
        var app = LocalHostApp.Build(
            new LocalHostSettings(
                settings,
                AzuriteProcess.FreePort(),
                AzuriteProcess.FreePort(),
                "bench" + Guid.NewGuid().ToString("N")[..8],
                queues,
                Encoding.UTF8.GetBytes("unused")),
            logging => logging.SetMinimumLevel(LogLevel.Error));
        await app.StartAsync();
        log?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"local host started in {clock.Elapsed.TotalSeconds:N1} s; queue polling backs off up to {queues.MaxPollingInterval}"));
        return new LiveHost(azurite, publisher, app, directory);
    }

    public QueueClient Queue(string name) => new(Azurite.ConnectionString, name);

    /// <summary>
    /// Stops the host's listeners and timers (Azurite and the publisher stay up); false if they had
    /// not stopped within <paramref name="limit"/>, which the caller then reports instead of waiting.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan limit)
    {
        using var abandon = new CancellationTokenSource(limit);
        var stop = App.StopAsync(abandon.Token);
        if (await Task.WhenAny(stop, Task.Delay(limit + TimeSpan.FromSeconds(1), CancellationToken.None)) != stop)
        {
            return false;
        }

        await stop;
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Publisher.DisposeAsync();
        await Azurite.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }
}

/// <summary>Percentiles and the figure/reference/ratio lines every live benchmark prints.</summary>
internal static class Figures
{
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Summary(string what, IEnumerable<double> seconds)
    {
        var sorted = seconds.Order().ToList();
        return sorted.Count == 0
            ? $"{what}: no samples"
            : string.Create(
                CultureInfo.InvariantCulture,
                $"{what}: n={sorted.Count}, p50 {Percentile(sorted, 0.5):N3} s, p95 {Percentile(sorted, 0.95):N3} s, "
                + $"max {sorted[^1]:N3} s");
    }

    public static string Option(string[] args, string name, string fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;

    public static double Number(string[] args, string name, double fallback) =>
        double.Parse(Option(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}
