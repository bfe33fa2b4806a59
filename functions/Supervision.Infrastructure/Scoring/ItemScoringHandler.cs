using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Enterprises;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Domain.Portraits;
using Supervision.Domain.Scoring;
using Supervision.Infrastructure.Enterprises;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Scoring;

/// <summary>How one queued item was handled.</summary>
public enum ScoringOutcome
{
    Scored,
    Unlinked,
}

/// <summary>What became of one item: scored as a signal about an enterprise, or kept unlinked.</summary>
public sealed record ScoringResult(ScoringOutcome Outcome, string ItemId, string? Uscc);

/// <summary>
/// The queue's work: link an item to an enterprise, score it, store the signal, and ask the
/// portraits stage to reassess the enterprise. Every step writes by key, so handling the same
/// message twice leaves one signal; the reassessment it asks for twice changes nothing more.
/// </summary>
public sealed class ItemScoringHandler(
    EnterpriseRegistry registry,
    ISentimentScorer scorer,
    SignalStore signals,
    ItemLedger ledger,
    UnlinkedMentionStore unlinked,
    StageMessages messages,
    ScoringOutbox outbox,
    ILogger<ItemScoringHandler> logger)
{
    /// <summary>
    /// Handles one queue message: a single item, or a group of items from one pull. In a group,
    /// an item that fails is split off into a message of its own (with its own retries and, in
    /// the end, its own place in the poison queue) so one bad item never holds back the others.
    /// </summary>
    public async Task<IReadOnlyList<ScoringResult>> HandleAsync(string message, CancellationToken cancellationToken)
    {
        var isGroup = message.AsSpan().TrimStart().StartsWith("{\"items\"", StringComparison.Ordinal);
        if (!isGroup)
        {
            var single = JsonSerializer.Deserialize<ScoreItemMessage>(message, MessageJson.Options)
                ?? throw new InvalidDataException("the items-to-score message is empty");
            await MarkDeliveredAsync([single.Item], cancellationToken);
            return [await HandleItemAsync(single, message, cancellationToken)];
        }

        var group = JsonSerializer.Deserialize<ScoreItemsMessage>(message, MessageJson.Options)
            ?? throw new InvalidDataException("the items-to-score message is empty");
        await MarkDeliveredAsync(group.Items, cancellationToken);

        // One pass through the models for the whole pull, rather than an engine call per item.
        var scores = scorer.ScoreBatch([.. group.Items.Select(i => i.Text)]);
        var results = new List<ScoringResult>();
        foreach (var (item, score) in group.Items.Zip(scores))
        {
            var one = new ScoreItemMessage(item, group.TrustWeight, group.TraceParent);
            try
            {
                results.Add(await HandleItemAsync(one, null, cancellationToken, score));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Item {ItemId} failed within a group; it continues as a message of its own", item.ItemId);
                await outbox.RecordPendingAsync([one], cancellationToken);
                await messages.SendAsync(one, cancellationToken);
            }
        }

        return results;
    }

    /// <summary>The message reached the scorer: from here the queue answers for its items (retried, or poisoned).</summary>
    private async Task MarkDeliveredAsync(IEnumerable<NormalisedItem> items, CancellationToken cancellationToken)
    {
        foreach (var source in items.Where(i => !string.IsNullOrWhiteSpace(i.SourceId) && !string.IsNullOrWhiteSpace(i.ItemId))
            .GroupBy(i => i.SourceId))
        {
            await outbox.MarkDeliveredAsync(source.Key, [.. source.Select(i => i.ItemId)], cancellationToken);
        }
    }

    private async Task<ScoringResult> HandleItemAsync(
        ScoreItemMessage scoreItem, string? original, CancellationToken cancellationToken, SentimentScore? scored = null)
    {
        var (item, _, traceParent) = scoreItem;
        using var span = SupervisionTelemetry.StartContinuing("ScoreItem", traceParent);
        span?.SetTag("supervision.item", item.ItemId);
        var sourceTag = new KeyValuePair<string, object?>("source", item.SourceId);
        if (string.IsNullOrWhiteSpace(item.ItemId) || string.IsNullOrWhiteSpace(item.SourceId))
        {
            throw new InvalidDataException("the items-to-score message has no item id or source id");
        }

        var linker = await registry.LinkerAsync(cancellationToken);
        var link = item.Organisations.Count > 0 ? linker.LinkOrganisations(item.Organisations) : linker.Link(item.Text);
        await ledger.MarkLinkedAsync(item.SourceId, item.ItemId, link.Enterprise?.Uscc, cancellationToken);
        if (link.Enterprise is not { } enterprise)
        {
            var message = original ?? JsonSerializer.Serialize(scoreItem, MessageJson.Options);
            await unlinked.KeepAsync(item, link.Explanation, message, cancellationToken);
            SupervisionTelemetry.ItemsUnlinked.Add(1, sourceTag);
            return new ScoringResult(ScoringOutcome.Unlinked, item.ItemId, null);
        }

        return await RecordSignalAsync(scoreItem, enterprise, link.Explanation, scored, cancellationToken);
    }

    /// <summary>
    /// An unlinked mention an operator confirmed is about <paramref name="enterprise"/>: from the ledger on,
    /// it takes the path a linked item takes, so its signal and the portrait's reassessment are the same.
    /// <paramref name="message"/> is the item's message as kept with the mention.
    /// </summary>
    public async Task<ScoringResult> ConfirmLinkAsync(
        string message, Enterprise enterprise, string explanation, CancellationToken cancellationToken)
    {
        var scoreItem = JsonSerializer.Deserialize<ScoreItemMessage>(message, MessageJson.Options)
            ?? throw new InvalidDataException("the unlinked mention's message is empty");
        using var span = SupervisionTelemetry.StartContinuing("ConfirmLink", scoreItem.TraceParent);
        span?.SetTag("supervision.item", scoreItem.Item.ItemId);
        await ledger.MarkLinkedAsync(scoreItem.Item.SourceId, scoreItem.Item.ItemId, enterprise.Uscc, cancellationToken);
        return await RecordSignalAsync(scoreItem, enterprise, explanation, null, cancellationToken);
    }

    private async Task<ScoringResult> RecordSignalAsync(
        ScoreItemMessage scoreItem,
        Enterprise enterprise,
        string linkExplanation,
        SentimentScore? scored,
        CancellationToken cancellationToken)
    {
        var (item, trust, _) = scoreItem;
        var span = Activity.Current;
        var sourceTag = new KeyValuePair<string, object?>("source", item.SourceId);
        var score = item.Tone is { } tone ? SentimentScore.FromTone(tone) : scored ?? scorer.Score(item.Text);
        var signal = new Signal(
            enterprise.Uscc, item.ItemId, item.SourceId, item.Title, score.NegativeProbability, trust,
            item.PublishedAt ?? item.ReceivedAt, item.RawSha256, score.ModelVersion, linkExplanation,
            score.Category, score.Explanation, score.Language, item.ReceivedAt);
        await signals.UpsertAsync(signal, cancellationToken);
        var reassess = new ReassessEnterprise(enterprise.Uscc, item.ItemId, SupervisionTelemetry.CurrentTraceParent);
        await messages.SendAsync(reassess, cancellationToken);
        SupervisionTelemetry.ItemsScored.Add(1, sourceTag);
        span?.SetTag("supervision.uscc", enterprise.Uscc);

        logger.LogInformation(
            "Scored item {ItemId} for {Uscc}: p(adverse)={Probability:F3} by {Explanation}",
            item.ItemId, enterprise.Uscc, score.NegativeProbability, score.Explain());
        return new ScoringResult(ScoringOutcome.Scored, item.ItemId, enterprise.Uscc);
    }
}
