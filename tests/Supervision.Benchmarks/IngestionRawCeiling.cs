using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Infrastructure.Storage;

namespace Supervision.Benchmarks;

/// <summary>
/// The raw Azurite ceiling for one pull: the storage requests that SourcePullHandler and ItemIntake
/// make for a feed of new items, of the same sizes, in the same order and at the same concurrency,
/// written straight with the SDK clients and nothing else. Per pull: read the source's cursor, keep
/// the feed's bytes in one content-addressed blob (create-only, with its content type and origin),
/// ask the ledger which ids it holds (50 ids per query), send the items to scoring (at most 32 items
/// and 45,000 bytes of JSON per message), write one ledger row per item (49 per transaction, with
/// one of the source's 32 counter rows), save the cursor. Story rows are written only when a story
/// repeats, which these distinct items never do, and signals are written by scoring, not
/// ingestion, so neither is part of this.
/// Everything that is not a request (parsing, identities, fingerprints, JSON) is prepared before
/// the clock starts.
/// </summary>
internal static class IngestionRawCeiling
{
    // The limits ItemIntake and ItemLedger use (private there): if those change, change these.
    private const int MaxItemsPerMessage = 32;
    private const int MaxMessageJsonBytes = 45_000;
    private const int IdsPerQuery = 50;
    private const int RowsPerTransaction = 49;
    private const int CounterShards = 32;
    private const int MaxLedgerTitleCharacters = 300;

    /// <summary>What one pull writes, ready to send.</summary>
    public sealed record Shapes(
        string SourceId, byte[] Feed, string Sha256, IReadOnlyList<string> ItemIds, IReadOnlyList<string> Messages,
        IReadOnlyList<TableTransactionAction> LedgerRows);

    public static Shapes Prepare(byte[] feed, string sourceId, double trust)
    {
        var hash = ContentHash.Sha256Hex(feed);
        var now = DateTimeOffset.UtcNow;
        var items = FeedReader.Read(feed, "application/rss+xml", maxBytes: 64_000_000).Items
            .Select(p =>
            {
                var id = NormalisedItem.IdentityFor(sourceId, p.PublisherId, p.Link, p.Title);
                return new NormalisedItem(id, sourceId, p.Title, p.Summary, p.Link, p.PublishedAt, hash, now)
                {
                    Organisations = p.Organisations,
                    Tone = p.Tone,
                    StoryId = id,
                };
            })
            .DistinctBy(i => i.ItemId)
            .ToList();

        var messages = new List<string>();
        var group = new List<NormalisedItem>();
        var bytes = 0;
        foreach (var item in items)
        {
            var size = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(item, MessageJson.Options));
            if (group.Count > 0 && (bytes + size > MaxMessageJsonBytes || group.Count >= MaxItemsPerMessage))
            {
                messages.Add(Message(group, trust));
                group = [];
                bytes = 0;
            }

            group.Add(item);
            bytes += size;
        }

        if (group.Count > 0)
        {
            messages.Add(Message(group, trust));
        }

        var partition = TableExtensions.SafeKey(sourceId);
        var rows = items.Select(item =>
        {
            var normalised = SimHash.Normalise(item.Text);
            var print = SimHash.FingerprintOfNormalised(normalised);
            var row = new TableEntity(partition, item.ItemId)
            {
                ["ArrivedAt"] = now,
                ["PublishedAt"] = item.PublishedAt,
                ["RawSha256"] = hash,
                ["StoryId"] = item.ItemId,
                ["Duplicate"] = nameof(DuplicateKind.New),
                ["ExactKey"] = SimHash.ExactKeyOfNormalised(normalised),
                ["Fingerprint"] = print is { } value ? unchecked((long)value) : null,
                ["Title"] = item.Title.Length > MaxLedgerTitleCharacters ? item.Title[..MaxLedgerTitleCharacters] : item.Title,
            };
            return new TableTransactionAction(TableTransactionActionType.UpsertMerge, row);
        }).ToList();
        return new Shapes(sourceId, feed, hash, [.. items.Select(i => i.ItemId)], messages, rows);
    }

    /// <summary>Sends one pull's requests; returns how many items it wrote.</summary>
    public static async Task<int> WriteAsync(SupervisionStorage storage, Shapes shapes, int concurrency)
    {
        var cursors = storage.Table(StorageNames.Tables.SourceCursors);
        var ledger = storage.Table(StorageNames.Tables.SeenItems);
        var queue = storage.Queue(StorageNames.Queues.ItemsToScore);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrency };
        var partition = TableExtensions.SafeKey(shapes.SourceId);

        await cursors.GetEntityIfExistsAsync<TableEntity>("feed", partition);
        try
        {
            await storage.Container(StorageNames.Containers.Raw).GetBlobClient(RawBlobs.NameOf(shapes.Sha256)).UploadAsync(
                new BinaryData(shapes.Feed),
                new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/rss+xml" },
                    Metadata = new Dictionary<string, string> { ["origin"] = Uri.EscapeDataString($"http://bench.test/{partition}.xml") },
                });
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Already kept, as the archive treats it.
        }

        var seen = 0;
        await Parallel.ForEachAsync(shapes.ItemIds.Chunk(IdsPerQuery), parallel, async (ids, ct) =>
        {
            var filter = $"PartitionKey eq '{partition}' and ({string.Join(" or ", ids.Select(id => $"RowKey eq '{id}'"))})";
            await foreach (var _ in ledger.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct))
            {
                Interlocked.Increment(ref seen);
            }
        });
        await Parallel.ForEachAsync(shapes.Messages, parallel, async (message, ct) => await queue.SendMessageAsync(message, ct));
        // Each ledger transaction also moves one of the source's counter rows, as ItemLedger's does.
        var batches = shapes.LedgerRows.Chunk(RowsPerTransaction).Select((batch, index) => batch.Append(new TableTransactionAction(
            TableTransactionActionType.UpsertMerge,
            new TableEntity(partition, $"~counter-{index % CounterShards}") { ["Items"] = batch.Length })));
        await Parallel.ForEachAsync(batches, parallel, async (batch, ct) => await ledger.SubmitTransactionAsync(batch, ct));
        await cursors.UpsertEntityAsync(
            new TableEntity("feed", partition) { ["LastAttemptAt"] = DateTimeOffset.UtcNow, ["LastSuccessAt"] = DateTimeOffset.UtcNow },
            TableUpdateMode.Replace);
        return seen == 0
            ? shapes.ItemIds.Count
            : throw new InvalidOperationException($"{seen} of the ceiling's items were in the ledger already; each run needs fresh items");
    }

    private static string Message(List<NormalisedItem> group, double trust) => group.Count == 1
        ? JsonSerializer.Serialize(new ScoreItemMessage(group[0], trust), MessageJson.Options)
        : JsonSerializer.Serialize(new ScoreItemsMessage([.. group], trust), MessageJson.Options);
}
