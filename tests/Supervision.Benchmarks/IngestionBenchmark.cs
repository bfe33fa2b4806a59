using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
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
/// and SimHash), link to a registry. (2) End to end: the same document pulled by the real
/// SourcePullHandler into a real Azurite: raw bytes archived, ledger rows, stories, queue messages.
/// </summary>
internal static class IngestionBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length >= 2 && args[0] == "--items" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5000;
        var root = ModelPaths.FindRepositoryRoot();
        var (feed, registry) = BuildCorpus(root, count);
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
        await using var services = await TestServices.BuildAsync(
            azurite.ConnectionString,
            new Dictionary<string, string?> { ["Ingestion:MaxFeedBytes"] = "64000000" },
            s => s.AddHttpClient(HttpFetcher.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => new StaticFeed(feed)));
        var source = new RegisteredSource(
            new SourceDefinition("bench", "benchmark feed", SourceKind.NewsFeed, SourceFormat.Feed, 0.8)
            {
                Url = new Uri("http://bench.test/feed.xml"),
            },
            0.8,
            null,
            null);
        var endToEnd = Stopwatch.StartNew();
        var result = await services.GetRequiredService<SourcePullHandler>().PullAsync(source, CancellationToken.None);
        endToEnd.Stop();
        var queued = (await services.GetRequiredService<SupervisionStorage>()
                .Queue(StorageNames.Queues.ItemsToScore)
                .GetPropertiesAsync())
            .Value.ApproximateMessagesCount;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"end to end into Azurite (archive, ledger, stories, queue): {result.ItemsRead / endToEnd.Elapsed.TotalSeconds:N0} items/s "
            + $"({result.Outcome}, {result.ItemsRead} read, {result.ItemsQueued} queued, {result.Duplicates} duplicates, "
            + $"{queued} messages, {endToEnd.ElapsedMilliseconds} ms)"));
        return result.Outcome == PullOutcome.NewItems ? 0 : 1;
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

    private static (byte[] Feed, IReadOnlyList<Enterprise> Registry) BuildCorpus(string root, int count)
    {
        using var zip = ZipFile.OpenRead(Path.Combine(root, "tests", "fixtures", "gdelt", "20230702153000.gkg.csv.zip"));
        using var reader = new StreamReader(zip.Entries.Single().Open(), Encoding.UTF8);
        var records = GdeltGkgReader.Read(reader).Items;
        var words = records
            .SelectMany(r => r.Title.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length > 2)
            .Distinct()
            .ToArray();
        var organisations = records.SelectMany(r => r.Organisations).Distinct().ToArray();
        var random = new Random(20261128);
        var feed = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>benchmark</title>");
        for (var i = 0; i < count; i++)
        {
            var title = string.Join(' ', Enumerable.Range(0, 12).Select(_ => words[random.Next(words.Length)]));
            var summary = $"{organisations[random.Next(organisations.Length)]} "
                + $"{string.Join(' ', Enumerable.Range(0, 20).Select(_ => words[random.Next(words.Length)]))}";
            feed.Append(
                CultureInfo.InvariantCulture,
                $"<item><guid>bench-{i}</guid><title>{WebUtility.HtmlEncode(title)}</title>"
                + $"<description>{WebUtility.HtmlEncode(summary)}</description><pubDate>Sun, 02 Jul 2023 15:30:00 GMT</pubDate></item>");
        }

        feed.Append("</channel></rss>");
        var registry = organisations
            .Take(500)
            .Select((name, i) => new Enterprise(Uscc.WithCheckCharacter($"91330100MA{i:D7}"), name, null, []))
            .ToList();
        return (Encoding.UTF8.GetBytes(feed.ToString()), registry);
    }

    /// <summary>
    /// Serves the benchmark feed in process, so the figure is ours and Azurite's, not a web server's.
    /// </summary>
    private sealed class StaticFeed(byte[] feed) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(feed) };
            response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/rss+xml");
            return Task.FromResult(response);
        }
    }
}
