using System.Diagnostics;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Supervision.Domain.Ingestion;
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
/// Order matters for at-least-once delivery: story, then queue, then ledger. A crash before the
/// ledger write repeats the batch next time; the story index recognises its own items and
/// scoring is idempotent, so nothing is counted twice and nothing is lost.
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
                NormalisedItem.IdentityFor(sourceId, p.PublisherId, p.Link, p.Title), sourceId, p.Title, p.Summary, p.Link, p.PublishedAt, rawSha256, now)
            {
                Organisations = p.Organisations,
                Tone = p.Tone,
            })
            .DistinctBy(i => i.ItemId)
            .ToList();

        var ledger = storage.Table(StorageNames.Tables.SeenItems);
        var seen = new bool[items.Count];
        await Parallel.ForAsync(0, items.Count, Parallelism(cancellationToken), async (i, ct) =>
            seen[i] = await ledger.FindAsync<TableEntity>(partition, items[i].ItemId, ct) is not null);
        var fresh = items.Where((_, i) => !seen[i]).ToList();

        var assignments = await stories.AssignAsync(fresh, cancellationToken);
        var toQueue = fresh.Zip(assignments).Where(p => p.Second.Kind == DuplicateKind.New).Select(p => p.First with { StoryId = p.Second.StoryId }).ToList();

        var queue = storage.Queue(StorageNames.Queues.ItemsToScore);
        await Parallel.ForEachAsync(toQueue, Parallelism(cancellationToken), async (item, ct) =>
        {
            using var span = SupervisionTelemetry.Source.StartActivity("IngestItem", ActivityKind.Producer);
            span?.SetTag("supervision.item", item.ItemId);
            var message = new ScoreItemMessage(item, source.EffectiveTrust, SupervisionTelemetry.CurrentTraceParent);
            await queue.SendMessageAsync(JsonSerializer.Serialize(message, MessageJson.Options), ct);
        });

        var rows = fresh.Zip(assignments).Select(p => new TableTransactionAction(TableTransactionActionType.UpsertMerge, new TableEntity(partition, p.First.ItemId)
        {
            ["ArrivedAt"] = now,
            ["PublishedAt"] = p.First.PublishedAt,
            ["RawSha256"] = rawSha256,
            ["StoryId"] = p.Second.StoryId,
            ["Duplicate"] = p.Second.Kind.ToString(),
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

    private ParallelOptions Parallelism(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = options.Value.WriteConcurrency, CancellationToken = cancellationToken };
}
