using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Storage;

namespace Supervision.Benchmarks;

/// <summary>
/// Items arrive at a set rate on the local host, the way the product receives news: each is
/// published in one of several RSS feeds (a local publisher) that are registered sources pulled
/// every second by the PullFeeds timer. Every item is adverse and names a registered enterprise;
/// half concern a small "hot" group, which is flagged within the run, so reviews open and
/// alerts reach the webhook sink. Measures, per item, arrival (made available in its feed) →
/// signal stored → portrait updated, and per case, the arrival of the item that tipped it →
/// review opened → first alert delivered; the times are the storage rows' own timestamps and
/// the sink's receipts. Reference: Azurite's queue round trip, sampled during the same load.
/// </summary>
internal static class LatencyBenchmark
{
    private static readonly TimeSpan PortraitGoal = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan AlertGoal = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(string[] args)
    {
        var rate = Figures.Number(args, "--rate", 10);
        var seconds = Figures.Number(args, "--seconds", 60);
        var feeds = (int)Figures.Number(args, "--sources", 10);
        var enterpriseCount = (int)Figures.Number(args, "--enterprises", 200);
        var hotCount = (int)Figures.Number(args, "--hot", 30);
        var pullSchedule = Figures.Option(args, "--pull-schedule", "* * * * * *");
        TimeSpan? maxPolling = Figures.Option(args, "--max-polling", string.Empty) is { Length: > 0 } polling
            ? TimeSpan.Parse(polling, CultureInfo.InvariantCulture)
            : null;
        var enterprises = CompanyNames.Generate(enterpriseCount);
        var seedDirectory = Directory.CreateTempSubdirectory("supervision-latency-").FullName;
        var seed = CompanyNames.WriteCsv(enterprises, seedDirectory);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency benchmark: {rate}/s for {seconds} s over {feeds} feeds pulled on '{pullSchedule}', {enterpriseCount} enterprises "
            + $"({hotCount} hot); Azurite and the local host start now"));
        using var ticks = new TimerTicks();
        await using var host = await LiveHost.StartAsync(feeds, 30, pullSchedule, pullSchedule, seed, maxPolling, Console.WriteLine);
        var roundTrip = new AzuriteRoundTrip(host.Queue("bench-round-trip"));
        var idle = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            idle.Add(await roundTrip.OnceAsync(CancellationToken.None));
        }

        using var stopSampling = new CancellationTokenSource();
        var sampling = roundTrip.SampleAsync(TimeSpan.FromMilliseconds(200), stopSampling.Token);
        var items = await PublishAsync(host.Publisher, enterprises, hotCount, feeds, rate, seconds);
        var outcome = await LatencyRows.WaitAndCollectAsync(host, items, TimeSpan.FromSeconds(90));
        await stopSampling.CancelAsync();
        await sampling;
        Directory.Delete(seedDirectory, recursive: true);
        foreach (var (line, _) in ticks.Describe(new Dictionary<string, string> { ["PullFeeds"] = pullSchedule }))
        {
            Console.WriteLine(line);
        }

        return Report(outcome, items.Count, idle, roundTrip.Seconds);
    }

    /// <summary>Publishes rate × seconds items at a steady pace; returns them keyed by the id the pipeline gives each.</summary>
    private static async Task<Dictionary<string, PublishedItem>> PublishAsync(
        BenchPublisher publisher, IReadOnlyList<GeneratedEnterprise> enterprises, int hotCount, int feeds, double rate, double seconds)
    {
        var news = new BenchNews(7);
        var pick = new Random(11);
        var count = (int)(rate * seconds);
        var items = new Dictionary<string, PublishedItem>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var enterprise = i % 2 == 0
                ? enterprises[pick.Next(hotCount)]
                : enterprises[hotCount + pick.Next(enterprises.Count - hotCount)];
            var item = news.Next(i % feeds, enterprise.Uscc, enterprise.Name);
            publisher.Publish(item);
            items[BenchNews.ItemIdOf(LiveHost.SourceId(item.Source), item)] = item;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{count} items published in {clock.Elapsed.TotalSeconds:N1} s ({news.Rerolled} drafts redrawn as near-duplicates)"));
        return items;
    }

    private static int Report(LatencyOutcome o, int published, List<double> idle, IReadOnlyList<double> loaded)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{o.Pulled.Count} of {published} items pulled, {o.Signal.Count} signals stored, {o.Portrait.Count} seen in a portrait; "
            + $"{o.Opened.Count} reviews opened, {o.Alerted.Count} with an alert delivered ({o.AlertsReceived} alerts received)"));
        Console.WriteLine(Figures.Summary("arrival → signal stored  ", o.Signal));
        Console.WriteLine(Figures.Summary("arrival → portrait updated", o.Portrait));
        Console.WriteLine(Figures.Summary("arrival → review opened  ", o.Opened));
        Console.WriteLine(Figures.Summary("arrival → first alert    ", o.Alerted));
        Console.WriteLine("where the time goes (cause of the figures above):");
        Console.WriteLine(Figures.Summary("  available → pulled (timer tick, sources-to-pull, fetch)", o.Pulled));
        Console.WriteLine(Figures.Summary("  pulled → signal (items-to-score, link, score)          ", o.PulledToSignal));
        Console.WriteLine(Figures.Summary("  signal → portrait (enterprises-to-reassess, recompute) ", o.SignalToPortrait));
        Console.WriteLine(Figures.Summary("  tipping portrait → review opened (flagged, Durable)    ", o.PortraitToOpened));
        Console.WriteLine(Figures.Summary("  review opened → first alert (Durable, alerts queue)    ", o.OpenedToAlert));
        Console.WriteLine(Figures.Summary("reference: Azurite queue round trip, idle      ", idle));
        Console.WriteLine(Figures.Summary("reference: Azurite queue round trip, under load", loaded));

        var reference = Figures.Percentile(loaded.Order().ToList(), 0.95);
        var portraitMet = Goal("portrait p95 ≤ 2 s", o.Portrait, PortraitGoal, reference, o.Pulled);
        var alertMet = Goal("first alert p95 ≤ 5 s", o.Alerted, AlertGoal, reference, o.Pulled);
        return portraitMet && alertMet ? 0 : 1;
    }

    private static bool Goal(string name, IReadOnlyList<double> figures, TimeSpan goal, double reference, IReadOnlyList<double> pulled)
    {
        var sorted = figures.Order().ToList();
        var p95 = Figures.Percentile(sorted, 0.95);
        var met = sorted.Count > 0 && p95 <= goal.TotalSeconds;
        var pullShare = Figures.Percentile(pulled.Order().ToList(), 0.95);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"goal latency {name}: figure p95 {p95:N3} s, reference Azurite queue round trip p95 {reference * 1000:N1} ms, "
            + $"ratio {p95 / reference:N0}×; {(met ? "met" : "MISSED")} "
            + $"(of which arrival → pulled p95 {pullShare:N3} s)"));
        return met;
    }
}
