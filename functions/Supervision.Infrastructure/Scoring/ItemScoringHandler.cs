using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Enterprises;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Domain.Portraits;
using Supervision.Domain.Scoring;
using Supervision.Infrastructure.Enterprises;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Portraits;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Scoring;

/// <summary>How one queued item was handled.</summary>
public enum ScoringOutcome
{
    Scored,
    Unlinked,
}

public sealed record ScoringResult(ScoringOutcome Outcome, string ItemId, string? Uscc, CreditPortrait? Portrait, IReadOnlyList<string> CasesOpened);

/// <summary>
/// The queue's work: link an item to an enterprise, score it, store the signal, recompute the
/// enterprise's portrait from all its signals, and open the reviews its grade triggers. Every
/// step writes by key, so handling the same message twice leaves one signal and one case.
/// </summary>
public sealed class ItemScoringHandler(
    EnterpriseRegistry registry,
    ISentimentScorer scorer,
    PortraitStore portraits,
    PortraitUpdater updater,
    SupervisionStorage storage,
    ILogger<ItemScoringHandler> logger)
{
    /// <summary>
    /// Handles one queue message: a single item, or a group of items from one pull. In a group,
    /// an item that fails is split off into a message of its own (with its own retries and, in
    /// the end, its own place in the poison queue) so one bad item never holds back the others.
    /// </summary>
    public async Task<IReadOnlyList<ScoringResult>> HandleAsync(string message, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var isGroup = message.AsSpan().TrimStart().StartsWith("{\"items\"", StringComparison.Ordinal);
        if (!isGroup)
        {
            var single = JsonSerializer.Deserialize<ScoreItemMessage>(message, MessageJson.Options)
                ?? throw new InvalidDataException("the items-to-score message is empty");
            return [await HandleItemAsync(single, message, durable, cancellationToken)];
        }

        var group = JsonSerializer.Deserialize<ScoreItemsMessage>(message, MessageJson.Options)
            ?? throw new InvalidDataException("the items-to-score message is empty");
        // One pass through the models for the whole pull, rather than an engine call per item.
        var scores = scorer.ScoreBatch([.. group.Items.Select(i => i.Text)]);
        var results = new List<ScoringResult>();
        foreach (var (item, score) in group.Items.Zip(scores))
        {
            var one = new ScoreItemMessage(item, group.TrustWeight, group.TraceParent);
            try
            {
                results.Add(await HandleItemAsync(one, null, durable, cancellationToken, score));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Item {ItemId} failed within a group; it continues as a message of its own", item.ItemId);
                await storage.Queue(StorageNames.Queues.ItemsToScore).SendMessageAsync(JsonSerializer.Serialize(one, MessageJson.Options), cancellationToken);
            }
        }

        return results;
    }

    private async Task<ScoringResult> HandleItemAsync(ScoreItemMessage scoreItem, string? original, DurableTaskClient durable, CancellationToken cancellationToken, SentimentScore? scored = null)
    {
        var (item, trust, traceParent) = scoreItem;
        var message = original ?? JsonSerializer.Serialize(scoreItem, MessageJson.Options);
        using var span = SupervisionTelemetry.StartContinuing("ScoreItem", traceParent);
        span?.SetTag("supervision.item", item.ItemId);
        var sourceTag = new KeyValuePair<string, object?>("source", item.SourceId);
        if (string.IsNullOrWhiteSpace(item.ItemId) || string.IsNullOrWhiteSpace(item.SourceId))
        {
            throw new InvalidDataException("the items-to-score message has no item id or source id");
        }

        var linker = await registry.LinkerAsync(cancellationToken);
        var link = item.Organisations.Count > 0 ? linker.LinkOrganisations(item.Organisations) : linker.Link(item.Text);
        await RecordLinkAsync(item, link, cancellationToken);
        if (link.Enterprise is null)
        {
            // Never guessed and never dropped: kept for an operator to link by hand.
            await storage.Table(StorageNames.Tables.UnlinkedMentions).UpsertEntityAsync(
                new TableEntity(TableExtensions.SafeKey(item.SourceId), item.ItemId)
                {
                    ["Title"] = item.Title,
                    ["Reason"] = link.Explanation,
                    ["RawSha256"] = item.RawSha256,
                    ["Message"] = message.Length <= 30_000 ? message : message[..30_000],
                },
                TableUpdateMode.Replace, cancellationToken);
            SupervisionTelemetry.ItemsUnlinked.Add(1, sourceTag);
            return new ScoringResult(ScoringOutcome.Unlinked, item.ItemId, null, null, []);
        }

        var enterprise = link.Enterprise;
        var score = item.Tone is { } tone ? SentimentScore.FromTone(tone) : scored ?? scorer.Score(item.Text);
        var signal = new Signal(
            enterprise.Uscc, item.ItemId, item.SourceId, item.Title, score.NegativeProbability, trust,
            item.PublishedAt ?? item.ReceivedAt, item.RawSha256, score.ModelVersion, link.Explanation,
            score.Category, score.Explanation, score.Language);
        await portraits.UpsertSignalAsync(signal, cancellationToken);

        var (portrait, opened) = await updater.UpdateAsync(enterprise, item.ItemId, durable, cancellationToken);
        SupervisionTelemetry.ItemsScored.Add(1, sourceTag);
        span?.SetTag("supervision.uscc", enterprise.Uscc);
        span?.SetTag("supervision.grade", portrait.Grade.ToString());

        logger.LogInformation(
            "Scored item {ItemId} for {Uscc}: p(adverse)={Probability:F3} by {Explanation}; portrait {Score:F1} grade {Grade}",
            item.ItemId, enterprise.Uscc, score.NegativeProbability, score.Explain(), portrait.Score, portrait.Grade);
        return new ScoringResult(ScoringOutcome.Scored, item.ItemId, enterprise.Uscc, portrait, opened);
    }

    /// <summary>Marks the item's ledger row linked or not: the share a source links is part of its record.</summary>
    private async Task RecordLinkAsync(NormalisedItem item, LinkResult link, CancellationToken cancellationToken) =>
        await storage.Table(StorageNames.Tables.SeenItems).UpsertEntityAsync(
            new TableEntity(TableExtensions.SafeKey(item.SourceId), item.ItemId) { ["Linked"] = link.IsLinked, ["Uscc"] = link.Enterprise?.Uscc },
            TableUpdateMode.Merge,
            cancellationToken);
}
