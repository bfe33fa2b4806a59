using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Api.Operators;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>Quarantine on a real Azurite, with every blob write the pipeline sends counted in bytes.</summary>
public sealed class QuarantineTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly Caller Operator = new("olga", [Roles.Operator]);

    private readonly BlobWriteRecorder writes = new();
    private readonly FakeTimeProvider clock = new(Start);

    [Fact]
    public async Task Pull_SameOversizedBodyFiveTimes_OneBlobFiveOccurrencesAndItsBytesWrittenOnce()
    {
        // Past the default 8 MiB cap, as the publisher in the issue served it on every pull.
        var body = new byte[(9 * 1024 * 1024) + 17];
        new Random(16).NextBytes(body);
        var publisher = new RecordingHandler((_, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };
            response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/rss+xml");
            return response;
        });
        await using var services = await ServicesAsync(publisher);
        var source = Source("oversized");

        var outcomes = new List<PullOutcome>();
        for (var pull = 0; pull < 5; pull++)
        {
            var result = await services.GetRequiredService<SourcePullHandler>().PullAsync(source, CancellationToken.None);
            outcomes.Add(result.Outcome);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.All(outcomes, o => Assert.Equal(PullOutcome.Quarantined, o));
        var record = Assert.Single(await RecordsAsync(services, source.Definition.Id));
        Assert.Equal(Quarantine.BlobNameOf(record.RowKey), record.BlobName);
        Assert.Contains(await BlobsAsync(services), b => b.Name == record.BlobName && b.Properties.ContentLength == record.Bytes);
        Assert.Equal(
            (5, Start, (DateTimeOffset?)Start.AddMinutes(4), nameof(RejectionKind.Oversized)),
            (record.Occurrences, record.QuarantinedAt, record.LastSeenAt, record.Kind));
        var uploads = writes.Writes
            .Where(w => w.Path.Contains($"/{StorageNames.Containers.Quarantine}/", StringComparison.Ordinal))
            .ToList();
        Assert.Equal((1, record.Bytes), (uploads.Count, uploads.Sum(w => w.Bytes)));
        var statistics = await services.GetRequiredService<SourceStatisticsReader>()
            .MeasureAsync(source.Definition.Id, CancellationToken.None);
        Assert.Equal(1, statistics.Quarantined);
        var listed = await ListedAsync(services, source.Definition.Id);
        Assert.Equal(5, listed.GetProperty("occurrences").GetInt32());
        Assert.Equal(Start, listed.GetProperty("firstSeenAt").GetDateTimeOffset());
        Assert.Equal(Start.AddMinutes(4), listed.GetProperty("lastSeenAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Keep_SameBodyFromTwoSources_IsOneBlobWithARecordForEach()
    {
        await using var services = await ServicesAsync();
        var quarantine = services.GetRequiredService<Quarantine>();
        var body = Guid.NewGuid().ToByteArray();
        var (one, two) = (Source("one").Definition.Id, Source("two").Definition.Id);

        var first = await quarantine.KeepAsync(one, body, "bad", CancellationToken.None, nameof(RejectionKind.Malformed));
        var second = await quarantine.KeepAsync(two, body, "bad too", CancellationToken.None, nameof(RejectionKind.NotAFeed));

        Assert.Equal(first.BlobName, second.BlobName);
        Assert.Equal((1, 1), (first.Occurrences, second.Occurrences));
        Assert.Single(writes.Writes, w => w.Path.EndsWith(first.BlobName, StringComparison.Ordinal));
        Assert.Equal("bad too", Assert.Single(await RecordsAsync(services, two)).Reason);
    }

    /// <remarks>
    /// Simultaneous first arrivals may each send the bytes (the service keeps one blob and refuses
    /// the rest); once the record exists no arrival sends them again, which the test above shows.
    /// </remarks>
    [Fact]
    public async Task Keep_ConcurrentRejectionsOfOneBody_CountEveryOccurrenceInOneRecordAndOneBlob()
    {
        await using var services = await ServicesAsync();
        var quarantine = services.GetRequiredService<Quarantine>();
        var body = Guid.NewGuid().ToByteArray();
        var sourceId = Source("racing").Definition.Id;

        await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(i => Task.Run(() => quarantine.KeepAsync(sourceId, body, $"try {i}", default))));

        Assert.Equal(8, Assert.Single(await RecordsAsync(services, sourceId)).Occurrences);
        var blobName = Quarantine.BlobNameOf(ContentHash.Sha256Hex(body));
        Assert.Single(await BlobsAsync(services), b => b.Name == blobName);
    }

    private async Task<ServiceProvider> ServicesAsync(RecordingHandler? publisher = null)
    {
        var blobOptions = new BlobClientOptions();
        blobOptions.AddPolicy(writes, HttpPipelinePosition.PerCall);
        var storage = new SupervisionStorage(
            new BlobServiceClient(azurite.ConnectionString, blobOptions),
            new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }),
            new TableServiceClient(azurite.ConnectionString));
        return await TestServices.BuildAsync(
            azurite.ConnectionString,
            configure: s =>
            {
                s.AddSingleton(storage);
                s.AddSingleton<TimeProvider>(clock);
                if (publisher is not null)
                {
                    s.AddHttpClient(HttpFetcher.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => publisher);
                }
            });
    }

    private static async Task<List<QuarantineEntity>> RecordsAsync(IServiceProvider services, string sourceId)
    {
        var table = services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.Quarantine);
        var records = new List<QuarantineEntity>();
        await foreach (var record in table.QueryAsync<QuarantineEntity>(r => r.PartitionKey == sourceId))
        {
            records.Add(record);
        }

        return records;
    }

    private static async Task<List<BlobItem>> BlobsAsync(IServiceProvider services)
    {
        var blobs = new List<BlobItem>();
        var container = services.GetRequiredService<SupervisionStorage>().Container(StorageNames.Containers.Quarantine);
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, "sha256/", CancellationToken.None))
        {
            blobs.Add(blob);
        }

        return blobs;
    }

    /// <summary>The source's item in operator/quarantine, paged through as an operator would.</summary>
    private static async Task<JsonElement> ListedAsync(IServiceProvider services, string sourceId)
    {
        var routes = services.GetRequiredService<OperatorRoutes>();
        string? next = null;
        do
        {
            var query = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["pageSize"] = "200" };
            if (next is not null)
            {
                query["next"] = next;
            }

            var request = new ApiRequest(new Dictionary<string, string>(), query, string.Empty);
            var response = await routes.ListQuarantineAsync(Operator, request, default);
            Assert.Equal(200, response.Status);
            var body = JsonDocument.Parse(response.BodyJson()).RootElement.Clone();
            var mine = body.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("source").GetString() == sourceId).ToList();
            if (mine is [var item])
            {
                return item;
            }

            next = body.GetProperty("next").GetString();
        }
        while (next is not null);

        throw new Xunit.Sdk.XunitException($"{sourceId} is not in operator/quarantine");
    }

    private static RegisteredSource Source(string prefix) => new(
        new SourceDefinition($"{prefix}-{Guid.NewGuid():N}"[..24], prefix, SourceKind.NewsFeed, SourceFormat.Feed, 0.8)
        {
            Url = new Uri("http://publisher.test/feed.xml"),
        },
        0.8,
        null,
        null);

    /// <summary>Records every blob write the client sends (PUT, with its body's length), before the service answers it.</summary>
    private sealed class BlobWriteRecorder : HttpPipelinePolicy
    {
        private readonly List<(string Path, long Bytes)> writes = [];

        public IReadOnlyList<(string Path, long Bytes)> Writes
        {
            get
            {
                lock (writes)
                {
                    return [.. writes];
                }
            }
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Record(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Record(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Record(HttpMessage message)
        {
            if (message.Request.Method != RequestMethod.Put)
            {
                return;
            }

            var bytes = message.Request.Content is { } content && content.TryComputeLength(out var length) ? length : 0;
            lock (writes)
            {
                writes.Add((Uri.UnescapeDataString(message.Request.Uri.Path), bytes));
            }
        }
    }
}
