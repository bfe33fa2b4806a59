using System.Collections.Concurrent;
using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Supervision.LocalHost.Tooling;

namespace Supervision.Benchmarks;

/// <summary>An item the publisher serves, and the moment it became available in its feed.</summary>
internal sealed record PublishedItem(int Number, int Source, string Guid, string Uscc, string Title, string Summary)
{
    public DateTimeOffset AvailableAt { get; set; }
}

/// <summary>One alert as the webhook sink received it.</summary>
internal sealed record AlertReceipt(DateTimeOffset ReceivedAt, string? CaseId, string? Uscc, string? Kind);

/// <summary>
/// The outside world of the live benchmarks, on one local HTTP server: publishers serving RSS
/// feeds at <c>/feeds/{n}.xml</c> (the newest items of each, with an ETag so an unchanged feed
/// answers 304), and a webhook sink that records when each alert arrived.
/// </summary>
internal sealed class BenchPublisher : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly List<PublishedItem>[] feeds;
    private readonly int keepPerFeed;

    private BenchPublisher(WebApplication app, int port, int feedCount, int keepPerFeed)
    {
        this.app = app;
        Port = port;
        this.keepPerFeed = keepPerFeed;
        feeds = Enumerable.Range(0, feedCount).Select(_ => new List<PublishedItem>()).ToArray();
    }

    public int Port { get; }

    public ConcurrentQueue<AlertReceipt> Alerts { get; } = new();

    public int FeedRequests => feedRequests;

    private int feedRequests;

    public Uri FeedUrl(int feed) => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/feeds/{feed}.xml"));

    public Uri WebhookUrl => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/webhook"));

    public static async Task<BenchPublisher> StartAsync(int feedCount, int keepPerFeed)
    {
        var port = AzuriteProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        var app = builder.Build();
        var publisher = new BenchPublisher(app, port, feedCount, keepPerFeed);
        app.MapGet("/feeds/{name}", (string name, HttpContext context) => publisher.Serve(name, context));
        app.MapPost("/webhook", async (HttpRequest request) =>
        {
            var received = DateTimeOffset.UtcNow;
            using var document = await JsonDocument.ParseAsync(request.Body);
            string? Text(string property) =>
                document.RootElement.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
                    ? value.GetString()
                    : null;
            publisher.Alerts.Enqueue(new AlertReceipt(received, Text("caseId"), Text("uscc"), Text("kind")));
            return Results.NoContent();
        });
        await app.StartAsync();
        return publisher;
    }

    /// <summary>Makes an item available in its feed now; the next fetch of that feed includes it.</summary>
    public void Publish(PublishedItem item)
    {
        var feed = feeds[item.Source];
        lock (feed)
        {
            item.AvailableAt = DateTimeOffset.UtcNow;
            feed.Add(item);
            if (feed.Count > keepPerFeed)
            {
                feed.RemoveAt(0);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private IResult Serve(string name, HttpContext context)
    {
        Interlocked.Increment(ref feedRequests);
        if (!name.EndsWith(".xml", StringComparison.Ordinal)
            || !int.TryParse(name[..^4], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || index >= feeds.Length)
        {
            return Results.NotFound();
        }

        PublishedItem[] items;
        var feed = feeds[index];
        lock (feed)
        {
            items = [.. feed];
        }

        var etag = string.Create(CultureInfo.InvariantCulture, $"\"{index}-{(items.Length == 0 ? -1 : items[^1].Number)}\"");
        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        context.Response.Headers.ETag = etag;
        return Results.Text(Rss(index, items), "application/rss+xml; charset=utf-8", Encoding.UTF8);
    }

    private string Rss(int index, PublishedItem[] items)
    {
        var xml = new StringBuilder();
        xml.Append(CultureInfo.InvariantCulture, $"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>");
        xml.Append(CultureInfo.InvariantCulture, $"<title>Bench publisher {index}</title><link>{FeedUrl(index)}</link>");
        foreach (var item in items.Reverse())
        {
            xml.Append(CultureInfo.InvariantCulture, $"<item><guid isPermaLink=\"false\">{item.Guid}</guid>")
                .Append(CultureInfo.InvariantCulture, $"<title>{SecurityElement.Escape(item.Title)}</title>")
                .Append(CultureInfo.InvariantCulture, $"<description>{SecurityElement.Escape(item.Summary)}</description>")
                .Append(CultureInfo.InvariantCulture, $"<pubDate>{item.AvailableAt.ToString("r", CultureInfo.InvariantCulture)}</pubDate>")
                .Append("</item>");
        }

        return xml.Append("</channel></rss>").ToString();
    }
}
