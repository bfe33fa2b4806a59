using System.Diagnostics;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>What intake did with a batch of items.</summary>
public sealed record IntakeResult(int Read, int AlreadySeen, int Queued, int ExactDuplicates, int NearDuplicates);

/// <summary>
/// Where every connector hands its items: gives each an identity, skips what this source sent
/// before, folds repeats of a story into it, queues the rest for scoring, and writes one ledger
/// row per item (the source's measured record is counted from these rows).
/// </summary>
/// <remarks>
/// Order matters for at-least-once delivery: queue, then ledger. A crash before the ledger write
/// repeats the batch next time; the story index recognises its own items and scoring is
/// idempotent, so nothing is counted twice and nothing is lost. Items travel to scoring in
/// groups per message; the scorer splits off any item that fails.
/// </remarks>
public sealed class ItemIntake(SupervisionStorage storage, StoryIndex stories, IOptions<IngestionOptions> options, TimeProvider time)
{
    public async Task<IntakeResult> AcceptAsync(RegisteredSource source, IReadOnlyList<ParsedItem> parsed, string rawSha256, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sourceId = source.Definition.Id;
        var partition = TableExtensions.SafeKey(sourceId);
        var items = parsed
            .Select(p => new NormalisedItem(
                NormalisedItem.IdentityFor(sourceId, p.PublisherId, p.Link, p.Title), sourceId, Clip(p.Title, MaxTitleCharacters), Clip(p.Summary, MaxSummaryCharacters), p.Link, p.PublishedAt, rawSha256, now)
            {
                Organisations = p.Organisations,
                Tone = p.Tone,
            })
            .DistinctBy(i => i.ItemId)
            .ToList();

        var ledger = storage.Table(StorageNames.Tables.SeenItems);
        var seenIds = await SeenAsync(ledger, partition, items.Select(i => i.ItemId).ToList(), cancellationToken);
        var fresh = items.Where(i => !seenIds.Contains(i.ItemId)).ToList();

        var placements = await stories.AssignAsync(fresh, cancellationToken);
        var assignments = placements.Select(p => p.Assignment).ToList();
        var toQueue = fresh.Zip(assignments).Where(p => p.Second.Kind == DuplicateKind.New).Select(p => p.First with { StoryId = p.Second.StoryId }).ToList();

        var queue = storage.Queue(StorageNames.Queues.ItemsToScore);
        await Parallel.ForEachAsync(Groups(toQueue), Parallelism(cancellationToken), async (group, ct) =>
        {
            using var span = SupervisionTelemetry.Source.StartActivity("IngestItem", ActivityKind.Producer);
            span?.SetTag("supervision.items", group.Count);
            span?.SetTag("supervision.item", group[0].ItemId);
            var message = group.Count == 1
                ? JsonSerializer.Serialize(new ScoreItemMessage(group[0], source.EffectiveTrust, SupervisionTelemetry.CurrentTraceParent), MessageJson.Options)
                : JsonSerializer.Serialize(new ScoreItemsMessage(group, source.EffectiveTrust, SupervisionTelemetry.CurrentTraceParent), MessageJson.Options);
            await queue.SendMessageAsync(message, ct);
        });

        var rows = fresh.Zip(placements).Select(p => new TableTransactionAction(TableTransactionActionType.UpsertMerge, new TableEntity(partition, p.First.ItemId)
        {
            ["ArrivedAt"] = now,
            ["PublishedAt"] = p.First.PublishedAt,
            ["RawSha256"] = rawSha256,
            ["StoryId"] = p.Second.Assignment.StoryId,
            ["Duplicate"] = p.Second.Assignment.Kind.ToString(),
            ["ExactKey"] = p.Second.ExactKey,
            ["Fingerprint"] = p.Second.Fingerprint is { } print ? unchecked((long)print) : null,
            ["Title"] = p.First.Title.Length > 300 ? p.First.Title[..300] : p.First.Title,
        })).ToList();
        await Parallel.ForEachAsync(rows.Chunk(100), Parallelism(cancellationToken), async (batch, ct) =>
            await ledger.SubmitTransactionAsync(batch, ct));

        var sourceTag = new KeyValuePair<string, object?>("source", sourceId);
        SupervisionTelemetry.ItemsIngested.Add(toQueue.Count, sourceTag);
        return new IntakeResult(
            items.Count,
            items.Count - fresh.Count,
            toQueue.Count,
            assignments.Count(a => a.Kind == DuplicateKind.Exact),
            assignments.Count(a => a.Kind == DuplicateKind.Near));
    }

    /// <summary>
    /// Which of these ids the ledger already holds. Asked in groups of ids per query rather than
    /// one read per item: a re-pulled feed is mostly items seen before, and round trips dominate.
    /// </summary>
    private async Task<HashSet<string>> SeenAsync(Azure.Data.Tables.TableClient ledger, string partition, List<string> ids, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(ids.Chunk(IdsPerQuery), Parallelism(cancellationToken), async (group, ct) =>
        {
            var filter = $"PartitionKey eq '{partition.Replace("'", "''", StringComparison.Ordinal)}' and ({string.Join(" or ", group.Select(id => $"RowKey eq '{id}'"))})";
            await foreach (var row in ledger.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct))
            {
                lock (seen)
                {
                    seen.Add(row.RowKey);
                }
            }
        });
        return seen;
    }

    /// <summary>
    /// Packs items into messages under the queue's 64 KB limit (messages are base64, so 45 KB of
    /// UTF-8 JSON at most) and at most <see cref="MaxItemsPerMessage"/> items, so a retry repeats little.
    /// </summary>
    private static IEnumerable<List<NormalisedItem>> Groups(List<NormalisedItem> items)
    {
        var group = new List<NormalisedItem>();
        var bytes = 0;
        foreach (var item in items)
        {
            var size = System.Text.Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(item, MessageJson.Options));
            if (group.Count > 0 && (bytes + size > MaxMessageJsonBytes || group.Count >= MaxItemsPerMessage))
            {
                yield return group;
                group = [];
                bytes = 0;
            }

            group.Add(item);
            bytes += size;
        }

        if (group.Count > 0)
        {
            yield return group;
        }
    }

    private const int MaxMessageJsonBytes = 45_000;

    // Scoring and matching need the lead, not the whole article; the raw bytes keep the rest.
    private const int MaxTitleCharacters = 1_000;
    private const int MaxSummaryCharacters = 4_000;

    private static string Clip(string value, int max) => value.Length <= max ? value : value[..max];
    private const int MaxItemsPerMessage = 32;

    // Item ids are 32 hex characters, so a group of this size stays far inside the URL limit.
    private const int IdsPerQuery = 50;

    private ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = options.Value.WriteConcurrency, CancellationToken = cancellationToken };
}
