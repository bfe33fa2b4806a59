using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Supervision.Domain.Enterprises;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Storage;
using Supervision.LocalHost.Tooling;
using Supervision.Testing;
using Supervision.Trainer;

namespace Supervision.Benchmarks;

/// <summary>
/// Ingestion throughput. The items are the 951 real page titles and organisations of the GDELT
/// GKG slice, recombined (seeded) into distinct stories so deduplication does not discard them.
/// (1) In process, one thread: read an RSS document of them, normalise, assign stories (exact
/// and SimHash), link to a registry. (2) End to end: such a document pulled by the real
/// SourcePullHandler into a real Azurite (raw bytes archived, ledger rows, queue messages), beside
/// (3) the raw ceiling: the same requests of the same sizes at the same concurrency sent straight
/// to the same Azurite (<see cref="IngestionRawCeiling"/>). Machines differ, so (2)/(3) is the figure
/// that compares across them; each run's storage time is split by kind (<see cref="StorageRequestTimer"/>).
/// </summary>
internal static class IngestionBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Option(string name, string fallback) =>
            Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        var count = int.Parse(Option("--items", "5000"), CultureInfo.InvariantCulture);
        var rounds = int.Parse(Option("--rounds", "3"), CultureInfo.InvariantCulture);
        var root = ModelPaths.FindRepositoryRoot();
        var corpus = Corpus.Load(root);
        var feed = corpus.Feed(count, 20261128);
        var registry = corpus.Registry();
        Console.WriteLine(
            $"ingestion benchmark: {count} items, feed of {feed.Length / 1024} KiB, registry of {registry.Count} enterprises, "
            + $"{Environment.ProcessorCount} cores visible");

        // Warm up the JIT on a small run, then measure on one thread.
        InProcess(feed, registry);
        var inProcess = Stopwatch.StartNew();
        var (read, stories) = InProcess(feed, registry, print: true);
        inProcess.Stop();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"parse + normalise + dedup + link, one thread: {read / inProcess.Elapsed.TotalSeconds:N0} items/s "
            + $"({read} items, {stories} stories, {inProcess.ElapsedMilliseconds} ms)"));

        await using var azurite = await AzuriteProcess.StartOnFreePortsAsync(root, TextWriter.Null);
        var feeds = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        await using var services = await TestServices.BuildAsync(
            azurite.ConnectionString,
            new Dictionary<string, string?> { ["Ingestion:MaxFeedBytes"] = "64000000" },
            s => s.AddHttpClient(HttpFetcher.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => new StaticFeeds(feeds)));
        return await CompareWithCeilingAsync(services, azurite, corpus, feeds, count, rounds);
    }

    /// <summary>
    /// The pipeline's end-to-end figure beside the raw ceiling on the same Azurite, in alternating
    /// rounds (each on fresh items and a fresh source, so neither finds the other's rows), after a
    /// small warm-up of each. Prints each round, the medians, their ratio, and where the time went.
    /// </summary>
    private static async Task<int> CompareWithCeilingAsync(
        ServiceProvider services, AzuriteProcess azurite, Corpus corpus, ConcurrentDictionary<string, byte[]> feeds, int count, int rounds)
    {
        var handler = services.GetRequiredService<SourcePullHandler>();
        var storage = services.GetRequiredService<SupervisionStorage>();
        var concurrency = services.GetRequiredService<IOptions<IngestionOptions>>().Value.WriteConcurrency;
        using var timer = new StorageRequestTimer(
            StorageRequestTimer.ByAzuritePort(azurite.BlobPort, azurite.QueuePort, azurite.TablePort));

        async Task<Run> PipelineAsync(string sourceId, byte[] bytes)
        {
            feeds[sourceId] = bytes;
            var source = new RegisteredSource(
                new SourceDefinition(sourceId, "benchmark feed", SourceKind.NewsFeed, SourceFormat.Feed, Trust)
                {
                    Url = new Uri($"http://bench.test/{sourceId}.xml"),
                },
                Trust,
                null,
                null);
            var from = DateTime.UtcNow;
            var clock = Stopwatch.StartNew();
            var result = await handler.PullAsync(source, CancellationToken.None);
            clock.Stop();
            if (result.Outcome != PullOutcome.NewItems || result.ItemsQueued != result.ItemsRead)
            {
                throw new InvalidOperationException(
                    $"the pull of {sourceId} ended {result.Outcome} with {result.ItemsQueued} of {result.ItemsRead} queued: "
                    + result.Detail);
            }

            return new Run(result.ItemsQueued, clock.Elapsed, timer.Measure(from, DateTime.UtcNow));
        }

        async Task<Run> CeilingAsync(string sourceId, byte[] bytes)
        {
            var shapes = IngestionRawCeiling.Prepare(bytes, sourceId, Trust);
            var from = DateTime.UtcNow;
            var clock = Stopwatch.StartNew();
            var written = await IngestionRawCeiling.WriteAsync(storage, shapes, concurrency);
            clock.Stop();
            return new Run(written, clock.Elapsed, timer.Measure(from, DateTime.UtcNow));
        }

        // Warm-up: connections, JIT, the story index's first load, Azurite's first writes.
        await PipelineAsync("warm-pipeline", corpus.Feed(500, 1));
        await CeilingAsync("warm-ceiling", corpus.Feed(500, 2));

        var pipeline = new List<Run>();
        var ceiling = new List<Run>();
        for (var round = 0; round < rounds; round++)
        {
            // Same construction and size, different items: the story index must see every item as new.
            var pipelineFeed = corpus.Feed(count, 1000 + (2 * round));
            var ceilingFeed = corpus.Feed(count, 1001 + (2 * round));
            if (round % 2 == 0)
            {
                pipeline.Add(await PipelineAsync($"bench-{round}", pipelineFeed));
                ceiling.Add(await CeilingAsync($"ceiling-{round}", ceilingFeed));
            }
            else
            {
                ceiling.Add(await CeilingAsync($"ceiling-{round}", ceilingFeed));
                pipeline.Add(await PipelineAsync($"bench-{round}", pipelineFeed));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round + 1}: pipeline {pipeline[^1].Rate:N0} items/s ({pipeline[^1].Elapsed.TotalMilliseconds:N0} ms), "
                + $"raw ceiling {ceiling[^1].Rate:N0} items/s ({ceiling[^1].Elapsed.TotalMilliseconds:N0} ms)"));
        }

        var medianPipeline = pipeline.OrderBy(r => r.Rate).ElementAt(rounds / 2);
        var medianCeiling = ceiling.OrderBy(r => r.Rate).ElementAt(rounds / 2);
        var ratio = medianPipeline.Rate / medianCeiling.Rate;
        var pipelineTime = StorageRequestTimer.Breakdown.Sum([.. pipeline.Select(r => r.Storage)]);
        var ceilingTime = StorageRequestTimer.Breakdown.Sum([.. ceiling.Select(r => r.Storage)]);
        Console.WriteLine($"  pipeline, all rounds: {pipelineTime}");
        Console.WriteLine($"  raw ceiling, all rounds: {ceilingTime}");
        var own = pipelineTime.NothingInFlight - ceilingTime.NothingInFlight;
        var waiting = pipelineTime.InFlight - ceilingTime.InFlight;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  the pipeline over the ceiling, all rounds: {own.TotalMilliseconds:+#,0;-#,0;0} ms of its own work with no request "
            + $"in flight (fetch, parse, identities, story index, message JSON), {waiting.TotalMilliseconds:+#,0;-#,0;0} ms more "
            + $"in requests (the story index's scans by time are the pipeline's alone)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ingestion: pipeline {medianPipeline.Rate:N0} items/s, raw ceiling {medianCeiling.Rate:N0} items/s, "
            + $"ratio {ratio:F2} (goal ≥ {Goal:F2}{(ratio >= Goal ? ", met" : ", missed")}; "
            + $"median of {rounds} rounds of {count} items)"));
        return 0;
    }

    private const double Trust = 0.8;
    private const double Goal = 0.60;

    private sealed record Run(int Items, TimeSpan Elapsed, StorageRequestTimer.Breakdown Storage)
    {
        public double Rate => Items / Elapsed.TotalSeconds;
    }

    private static (int Read, int Stories) InProcess(byte[] feed, IReadOnlyList<Enterprise> registry, bool print = false)
    {
        var linker = new EnterpriseLinker(registry);
        var index = new NearDuplicateIndex();
        var clock = Stopwatch.StartNew();
        var parsed = FeedReader.Read(feed, "application/rss+xml", maxBytes: 64_000_000);
        var parse = clock.Elapsed;
        var items = parsed.Items
            .Select(entry => new NormalisedItem(
                NormalisedItem.IdentityFor("bench", entry.PublisherId, entry.Link, entry.Title),
                "bench",
                entry.Title,
                entry.Summary,
                entry.Link,
                entry.PublishedAt,
                "raw",
                DateTimeOffset.UtcNow))
            .ToList();
        var normalise = clock.Elapsed;
        var stories = items.Count(item => index.Assign(item.ItemId, item.Text).Kind == DuplicateKind.New);
        var dedup = clock.Elapsed;
        var linked = items.Count(item => linker.Link(item.Text).IsLinked);
        var link = clock.Elapsed;
        if (print)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  stages: parse {parse.TotalMilliseconds:N0} ms, normalise {(normalise - parse).TotalMilliseconds:N0} ms, "
                + $"dedup {(dedup - normalise).TotalMilliseconds:N0} ms, link {(link - dedup).TotalMilliseconds:N0} ms ({linked} linked)"));
        }

        return (parsed.Items.Count, stories);
    }

    /// <summary>The GDELT slice's words and organisations, from which feeds of any size are drawn (seeded).</summary>
    private sealed class Corpus(string[] words, string[] organisations)
    {
        public static Corpus Load(string root)
        {
            using var zip = ZipFile.OpenRead(Path.Combine(root, "tests", "fixtures", "gdelt", "20230702153000.gkg.csv.zip"));
            using var reader = new StreamReader(zip.Entries.Single().Open(), Encoding.UTF8);
            var records = GdeltGkgReader.Read(reader).Items;
            return new Corpus(
                [.. records.SelectMany(r => r.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(w => w.Length > 2).Distinct()],
                [.. records.SelectMany(r => r.Organisations).Distinct()]);
        }

        public byte[] Feed(int count, int seed)
        {
            var random = new Random(seed);
            var feed = new StringBuilder(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>benchmark</title>");
            for (var i = 0; i < count; i++)
            {
                var title = string.Join(' ', Enumerable.Range(0, 12).Select(_ => words[random.Next(words.Length)]));
                var summary = $"{organisations[random.Next(organisations.Length)]} "
                    + $"{string.Join(' ', Enumerable.Range(0, 20).Select(_ => words[random.Next(words.Length)]))}";
                feed.Append(
                    CultureInfo.InvariantCulture,
                    $"<item><guid>bench-{seed}-{i}</guid><title>{WebUtility.HtmlEncode(title)}</title>"
                    + $"<description>{WebUtility.HtmlEncode(summary)}</description>"
                    + $"<pubDate>Sun, 02 Jul 2023 15:30:00 GMT</pubDate></item>");
            }

            feed.Append("</channel></rss>");
            return Encoding.UTF8.GetBytes(feed.ToString());
        }

        public List<Enterprise> Registry() => organisations
            .Take(500)
            .Select((name, i) => new Enterprise(Uscc.WithCheckCharacter($"91330100MA{i:D7}"), name, null, []))
            .ToList();
    }

    /// <summary>
    /// Serves the benchmark feeds in process (http://bench.test/{source}.xml), so the figure is
    /// ours and Azurite's, not a web server's.
    /// </summary>
    private sealed class StaticFeeds(ConcurrentDictionary<string, byte[]> feeds) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var source = Path.GetFileNameWithoutExtension(request.RequestUri!.AbsolutePath);
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(feeds[source]) };
            response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/rss+xml");
            return Task.FromResult(response);
        }
    }
}
