using System.Diagnostics;
using System.Text.Json;
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
/// Order matters for at-least-once delivery: outbox, queue, then ledger. A crash before the ledger write
/// repeats the batch next time; the story index recognises its own items and scoring is
/// idempotent, so nothing is counted twice and nothing is lost. Items travel to scoring in
/// groups per message; the scorer splits off any item that fails.
/// </remarks>
public sealed class ItemIntake(
    ItemLedger ledger,
    StoryIndex stories,
    StageMessages messages,
    ScoringOutbox outbox,
    IOptions<IngestionOptions> options,
    TimeProvider time)
{
    public async Task<IntakeResult> AcceptAsync(
        RegisteredSource source, IReadOnlyList<ParsedItem> parsed, string rawSha256, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sourceId = source.Definition.Id;
        var items = parsed
            .Select(p => FitsMessage(NormalisedItem.From(sourceId, p, rawSha256, now)))
            .DistinctBy(i => i.ItemId)
            .ToList();

        var concurrency = options.Value.WriteConcurrency;
        var seenIds = await ledger.SeenAsync(sourceId, items.Select(i => i.ItemId).ToList(), concurrency, cancellationToken);
        var fresh = items.Where(i => !seenIds.Contains(i.ItemId)).ToList();

        var placements = await stories.AssignAsync(fresh, cancellationToken);
        var assignments = placements.Select(p => p.Assignment).ToList();
        var toQueue = fresh.Zip(assignments)
            .Where(p => p.Second.Kind == DuplicateKind.New)
            .Select(p => p.First with { StoryId = p.Second.StoryId })
            .ToList();

        // Outbox first: a message lost after it was acknowledged is sent again from its row.
        await outbox.RecordPendingAsync([.. toQueue.Select(i => new ScoreItemMessage(i, source.EffectiveTrust))], cancellationToken);
        await Parallel.ForEachAsync(Groups(toQueue), Parallelism(cancellationToken), async (group, ct) =>
        {
            using var span = SupervisionTelemetry.Source.StartActivity("IngestItem", ActivityKind.Producer);
            span?.SetTag("supervision.items", group.Count);
            span?.SetTag("supervision.item", group[0].ItemId);
            var traceParent = SupervisionTelemetry.CurrentTraceParent;
            await (group.Count == 1
                ? messages.SendAsync(new ScoreItemMessage(group[0], source.EffectiveTrust, traceParent), ct)
                : messages.SendAsync(new ScoreItemsMessage(group, source.EffectiveTrust, traceParent), ct));
        });

        var arrivals = fresh.Zip(placements).Select(p => new LedgerArrival(
            p.First.ItemId, now, p.First.PublishedAt, rawSha256, p.Second.Assignment.StoryId, p.Second.Assignment.Kind,
            p.Second.ExactKey, p.Second.Fingerprint, p.First.Title)
        {
            Decoding = p.First.Decoding,
        }).ToList();
        await ledger.RecordArrivalsAsync(sourceId, arrivals, concurrency, cancellationToken);

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
    /// Packs items into messages under the queue's 64 KB limit (messages are base64, so 45 KB of
    /// UTF-8 JSON at most) and at most <see cref="MaxItemsPerMessage"/> items, so a retry repeats little.
    /// </summary>
    private static IEnumerable<List<NormalisedItem>> Groups(List<NormalisedItem> items)
    {
        var group = new List<NormalisedItem>();
        var bytes = 0;
        foreach (var item in items)
        {
            var size = JsonBytes(item);
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

    /// <summary>
    /// The clipped fields fit a message with room to spare for any text met so far; text the JSON
    /// encoder must escape character by character (six bytes each) could still overflow, so such an
    /// item's summary, then title, is halved until it fits, rather than failing every pull.
    /// </summary>
    private static NormalisedItem FitsMessage(NormalisedItem item)
    {
        while (JsonBytes(item) > MaxMessageJsonBytes && (item.Summary.Length > 0 || item.Title.Length > 1))
        {
            item = item.Summary.Length > 0
                ? item with { Summary = ItemFieldLimits.Clip(item.Summary, item.Summary.Length / 2) }
                : item with { Title = ItemFieldLimits.Clip(item.Title, item.Title.Length / 2) };
        }

        return item;
    }

    private static int JsonBytes(NormalisedItem item) =>
        System.Text.Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(item, MessageJson.Options));

    private const int MaxMessageJsonBytes = 45_000;
    private const int MaxItemsPerMessage = 32;

    private ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = options.Value.WriteConcurrency, CancellationToken = cancellationToken };
}
