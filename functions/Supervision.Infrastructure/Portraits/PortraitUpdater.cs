using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.DurableTask.Client;
using Supervision.Domain.Credit;
using Supervision.Domain.Enterprises;
using Supervision.Domain.Portraits;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Portraits;

/// <summary>
/// Recomputes an enterprise's portrait from all its signals and all its third-party credit
/// evidence, saves it (with its history), and opens the reviews its grade now triggers. Called
/// when a signal is scored and when a bureau's or an association's file is taken.
/// </summary>
public sealed class PortraitUpdater(PortraitStore portraits, PortraitCalculator calculator, SourceRegistry sources, ReviewStarter reviews, StoryIndex stories, SupervisionStorage storage, TimeProvider time)
{
    public async Task<(CreditPortrait Portrait, IReadOnlyList<string> Opened)> UpdateAsync(Enterprise enterprise, string causedBy, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var portrait = await SaveCurrentAsync(enterprise.Uscc, causedBy, cancellationToken);
        return (portrait, await reviews.OpenTriggeredAsync(durable, enterprise, portrait, cancellationToken));
    }

    /// <summary>
    /// Other deliveries for the same enterprise may be writing right now; the store refuses a
    /// portrait computed from less than the one standing, so recompute until ours is current.
    /// </summary>
    private async Task<CreditPortrait> SaveCurrentAsync(string uscc, string causedBy, CancellationToken cancellationToken)
    {
        using var span = SupervisionTelemetry.Source.StartActivity("UpdatePortrait");
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var evidence = await CreditEvidenceAsync(uscc, cancellationToken);
            var signals = await portraits.SignalsAsync(uscc, cancellationToken);
            var computed = calculator.Compute(uscc, signals, evidence, time.GetUtcNow(), await ReachAsync(signals, cancellationToken)) with { CreditRecordCount = evidence.Count };
            if (await portraits.TrySaveAsync(computed, causedBy, cancellationToken) is { } standing)
            {
                return standing;
            }
        }

        throw new InvalidOperationException($"the portrait of {uscc} kept changing under 20 attempts to update it");
    }

    /// <summary>
    /// How many items carried each adverse signal's story (a signal's item is its story's first).
    /// Only repeated stories have a row, so most lookups find none and mean one. A repost that
    /// arrives later counts from the enterprise's next recomputation.
    /// </summary>
    private async Task<Dictionary<string, int>> ReachAsync(IReadOnlyList<Signal> signals, CancellationToken cancellationToken)
    {
        var reach = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            signals.Where(s => s.NegativeProbability > 0.5).Select(s => s.ItemId).Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (itemId, ct) =>
            {
                if (await stories.FindAsync(itemId, ct) is { Reach: > 1 } story)
                {
                    reach[itemId] = story.Reach;
                }
            });
        return new Dictionary<string, int>(reach, StringComparer.Ordinal);
    }

    /// <summary>The enterprise's bureau scores, association ratings and authority records, each on its source's scale and trust.</summary>
    public async Task<IReadOnlyList<CreditEvidence>> CreditEvidenceAsync(string uscc, CancellationToken cancellationToken)
    {
        var evidence = new List<CreditEvidence>();
        await foreach (var row in storage.Table(StorageNames.Tables.CreditRecords).QueryAsync<TableEntity>(e => e.PartitionKey == uscc, cancellationToken: cancellationToken))
        {
            var sourceId = row.GetString("SourceId") ?? string.Empty;
            if (await sources.FindAsync(sourceId, cancellationToken) is not { } source)
            {
                continue;
            }

            var file = row.GetString("FileSha256") ?? string.Empty;
            var json = row.GetString("Record") ?? "null";
            switch (row.GetString("Kind"))
            {
                case nameof(CreditScoreRecord) when JsonSerializer.Deserialize<CreditScoreRecord>(json, SourceRegistry.JsonOptions) is { } score:
                    var definition = source.Definition;
                    evidence.Add(new CreditEvidence(
                        sourceId, nameof(CreditScoreRecord), score.Score.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        CreditRecordReader.NormaliseScore(score.Score, definition.ScoreMinimum, definition.ScoreMaximum), source.EffectiveTrust,
                        new DateTimeOffset(score.AsOf.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + definition.ScoreValidFor, file,
                        $"score {score.Score} ({definition.ScoreMinimum}–{definition.ScoreMaximum}), grade {score.Grade}, as of {score.AsOf:yyyy-MM-dd}, model {score.ModelVersion}"));
                    break;
                case nameof(AssociationRating) when JsonSerializer.Deserialize<AssociationRating>(json, SourceRegistry.JsonOptions) is { } rating:
                    evidence.Add(new CreditEvidence(
                        sourceId, nameof(AssociationRating), rating.Rating, CreditRecordReader.NormaliseRating(rating.Rating), source.EffectiveTrust,
                        new DateTimeOffset(rating.ValidUntil.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero), file,
                        $"rating {rating.Rating} in {rating.Industry}, valid until {rating.ValidUntil:yyyy-MM-dd}"));
                    break;
                case nameof(GovernmentRecord) when JsonSerializer.Deserialize<GovernmentRecord>(json, SourceRegistry.JsonOptions) is { } record:
                    evidence.Add(new CreditEvidence(
                        sourceId, nameof(GovernmentRecord), record.TypeName, record.Normalised, source.EffectiveTrust,
                        new DateTimeOffset(record.CountsUntil.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), file,
                        $"{record.TypeName} ({record.Severity}) by {record.Authority}, {record.Reference}, decided {record.DecidedOn:yyyy-MM-dd}: {record.Description}"
                            + (record.RemovedOn is { } removed ? $"; removed {removed:yyyy-MM-dd}" : string.Empty)));
                    break;
            }
        }

        return evidence;
    }
}
