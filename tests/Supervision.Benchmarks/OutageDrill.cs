using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Supervision.Infrastructure.Hosting;
using Supervision.Infrastructure.Storage;
using Supervision.LocalHost;
using Supervision.LocalHost.Tooling;
using Supervision.Trainer;

namespace Supervision.Benchmarks;

/// <summary>
/// The storage outage drill (issue 16): the local host runs over an Azurite it does not own, with
/// items in flight through every stage; the drill stops Azurite (SIGKILL unless told otherwise)
/// for the outage, starts it again on the same ports and data, and then accounts for every item:
/// a signal, an unlinked mention, or a poison message with its reason, and none of them twice.
/// Prints what health answered meanwhile and whether the host stayed up. Not a test: a drill.
/// </summary>
internal static class OutageDrill
{
    public static async Task<int> RunAsync(string[] args)
    {
        var itemCount = (int)Figures.Number(args, "--items", 1000);
        var outage = TimeSpan.FromSeconds(Figures.Number(args, "--outage-seconds", 120));
        var feeds = (int)Figures.Number(args, "--sources", 10);
        var unlinkedShare = Figures.Number(args, "--unlinked-share", 0.2);
        var stopAt = Figures.Number(args, "--stop-at", 0.2);
        var settle = TimeSpan.FromSeconds(Figures.Number(args, "--settle-seconds", 600));
        var graceful = Figures.Option(args, "--stop", "kill") == "term";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"outage drill: {itemCount} items over {feeds} feeds ({unlinkedShare:P0} naming no registered enterprise); "
            + $"Azurite {(graceful ? "stopped (SIGTERM)" : "killed (SIGKILL)")} once {stopAt:P0} of the items have an outcome, "
            + $"for {outage.TotalSeconds:N0} s, then started again"));

        var root = ModelPaths.FindRepositoryRoot();
        var work = Directory.CreateTempSubdirectory("supervision-outage-").FullName;
        var ports = AzuriteProcess.FreePorts(3);
        var data = Path.Combine(work, "azurite");
        var azurite = await AzuriteProcess.StartAsync(root, data, ports[0], ports[1], ports[2], TextWriter.Null);
        var enterprises = CompanyNames.Generate(200);
        var publisher = await BenchPublisher.StartAsync(feeds, itemCount);
        using var sweeps = new CategoryCounter(typeof(Supervision.Infrastructure.Scoring.UndeliveredItemsSweep).FullName!);
        var (app, httpPort) = await StartHostAsync(root, work, azurite.ConnectionString, publisher, feeds, enterprises, sweeps);
        var stopped = false;
        app.Lifetime.ApplicationStopping.Register(() => stopped = true);
        var clock = Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(15) };
        using var stopPolling = new CancellationTokenSource();
        var health = new HealthWatch(http, clock);
        var polling = health.PollAsync(TimeSpan.FromSeconds(1), stopPolling.Token);
        var tally = new OutageTally(app.Services.GetRequiredService<SupervisionStorage>());
        try
        {
            var items = Publish(publisher, enterprises, itemCount, feeds, unlinkedShare);
            Console.WriteLine(At(clock, $"{items.Count} items published in {feeds} feeds"));

            var before = await WaitForAsync(tally, items, n => n >= stopAt * items.Count, TimeSpan.FromMinutes(5), clock);
            var pid = azurite.ProcessId!.Value;
            if (graceful)
            {
                await azurite.DisposeAsync();
            }
            else
            {
                using var node = Process.GetProcessById(pid);
                node.Kill();
                await node.WaitForExitAsync();
                await azurite.DisposeAsync();
            }

            Console.WriteLine(At(clock, $"Azurite (pid {pid}) {(graceful ? "stopped" : "killed")} with {before} items accounted for"));
            await Task.Delay(outage);
            Console.WriteLine(At(clock, $"host {(stopped ? "STOPPED during the outage" : "still up")}; starting Azurite again"));
            azurite = await AzuriteProcess.StartAsync(root, data, ports[0], ports[1], ports[2], TextWriter.Null);
            Console.WriteLine(At(clock, "Azurite listening again"));
            await WaitForAsync(tally, items, n => n >= items.Count, settle, clock);

            // A moment more, so a duplicate still on its way (a redelivery, a second poison copy) is counted too.
            await Task.Delay(TimeSpan.FromSeconds(20));
            await stopPolling.CancelAsync();
            await polling;
            var outcome = await tally.CollectAsync(items.Keys, feeds, CancellationToken.None);
            Console.WriteLine($"sweeps that sent lost items-to-score messages again: {sweeps.Count}");
            return Report(outcome, items.Count, health, stopped, clock);
        }
        finally
        {
            await stopPolling.CancelAsync();
            await app.StopAsync();
            await app.DisposeAsync();
            await publisher.DisposeAsync();
            await azurite.DisposeAsync();
            Directory.Delete(work, recursive: true);
        }
    }

    private static Dictionary<string, PublishedItem> Publish(
        BenchPublisher publisher, IReadOnlyList<GeneratedEnterprise> enterprises, int count, int feeds, double unlinkedShare)
    {
        var news = new BenchNews(16);
        var pick = new Random(6);
        var items = new Dictionary<string, PublishedItem>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            // An item naming no enterprise at all cannot be linked: it must end as an unlinked mention.
            var unlinked = pick.NextDouble() < unlinkedShare;
            var enterprise = enterprises[pick.Next(enterprises.Count)];
            var item = unlinked
                ? news.Next(i % feeds, string.Empty, "当地一家未具名企业")
                : news.Next(i % feeds, enterprise.Uscc, enterprise.Name);
            publisher.Publish(item);
            items[BenchNews.ItemIdOf(LiveHost.SourceId(item.Source), item)] = item;
        }

        return items;
    }

    private static async Task<int> WaitForAsync(
        OutageTally tally, Dictionary<string, PublishedItem> items, Func<int, bool> enough, TimeSpan limit, Stopwatch clock)
    {
        var deadline = clock.Elapsed + limit;
        var lastReport = clock.Elapsed;
        var accounted = 0;
        while (clock.Elapsed < deadline)
        {
            try
            {
                accounted = await tally.AccountedAsync(items.Keys, CancellationToken.None);
            }
            catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or AggregateException)
            {
                // Storage is still coming back; ask again.
            }

            if (enough(accounted))
            {
                break;
            }

            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(15))
            {
                Console.WriteLine(At(clock, $"{accounted} of {items.Count} items accounted for"));
                lastReport = clock.Elapsed;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        return accounted;
    }

    private static async Task<(WebApplication App, int Port)> StartHostAsync(
        string root,
        string work,
        string connection,
        BenchPublisher publisher,
        int feeds,
        IReadOnlyList<GeneratedEnterprise> enterprises,
        ILoggerProvider sweeps)
    {
        var sourcesFile = Path.Combine(work, "sources.json");
        var sources = Enumerable.Range(0, feeds).Select(i => new
        {
            id = LiveHost.SourceId(i),
            name = string.Create(CultureInfo.InvariantCulture, $"Drill publisher {i}"),
            kind = "publicOpinionMonitor",
            format = "feed",
            trustWeight = 0.9,
            url = publisher.FeedUrl(i).ToString(),
            schedule = "*/2 * * * * *",
        });
        await File.WriteAllTextAsync(sourcesFile, JsonSerializer.Serialize(new { sources }));
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = connection,
            ["FEED_PULL_SCHEDULE"] = "* * * * * *",
            ["INBOX_SCAN_SCHEDULE"] = "*/5 * * * * *",
            ["PORTRAIT_REASSESS_SCHEDULE"] = "0 5 0 * * *",
            ["SOURCE_MEASURE_SCHEDULE"] = "0 */1 * * * *",
            ["Ingestion:SourcesFile"] = sourcesFile,
            ["Enterprises:SeedFile"] = CompanyNames.WriteCsv(enterprises, work),
            ["Scoring:ModelDirectory"] = ModelPaths.EnsureModels(root, TextWriter.Null),
            ["Auth:DevelopmentTokenKey"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("outage drill token key, 32 bytes")),
            ["Alerts:WebhookUrl"] = publisher.WebhookUrl.ToString(),
            ["Alerts:WebhookSecret"] = "outage drill webhook secret",
            ["Telemetry:Console"] = "false",

            // Sooner than the product's 10 minutes, so the drill sees messages lost in the outage sent again.
            ["Scoring:ResendUndeliveredAfter"] = "00:02:00",
            ["Scoring:Outbox"] = "true",
        };
        var free = AzuriteProcess.FreePorts(2);
        var app = LocalHostApp.Build(
            new LocalHostSettings(
                settings,
                free[0],
                free[1],
                "drill" + Guid.NewGuid().ToString("N")[..8],
                HostJson.ReadQueueSettings(Path.Combine(root, "host.json")),
                Encoding.UTF8.GetBytes("unused")),
            logging => logging.SetMinimumLevel(LogLevel.Warning).AddProvider(sweeps));
        await app.StartAsync();
        return (app, free[0]);
    }

    private static int Report(OutageOutcome o, int published, HealthWatch health, bool stopped, Stopwatch clock)
    {
        Console.WriteLine(At(clock, "outcome"));
        Console.WriteLine($"host stayed up: {(stopped ? "NO" : "yes")}");
        Console.WriteLine($"health answers, in order: {health.Transitions()}");
        Console.WriteLine($"items published:            {published}");
        Console.WriteLine($"  signal:                   {o.Signals}");
        Console.WriteLine($"  unlinked mention:         {o.Unlinked}");
        Console.WriteLine(
            $"  poison message:           {o.Poisoned} (in {o.PoisonMessages} messages; {o.PoisonRecords} failure records say why)");
        Console.WriteLine($"  no outcome:               {o.Missing} (of which in the ledger, never scored: {o.LedgerOnly})");
        Console.WriteLine($"  more than one outcome:    {o.Duplicates}");
        foreach (var reason in o.PoisonReasons)
        {
            Console.WriteLine($"  poison reason: {reason}");
        }

        Console.WriteLine($"ledger rows: {o.LedgerRows}; other queues left: {o.Leftovers}");
        var clean = !stopped && o.Missing == 0 && o.Duplicates == 0 && o.PoisonReasoned;
        Console.WriteLine(clean ? "drill: PASSED" : "drill: FAILED");
        return clean ? 0 : 1;
    }

    internal static string At(Stopwatch clock, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,6:N1} s] {what}");
}
