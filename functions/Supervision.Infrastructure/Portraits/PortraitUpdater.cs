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
public sealed class PortraitUpdater(PortraitStore portraits, PortraitCalculator calculator, SourceRegistry sources, ReviewStarter reviews, SupervisionStorage storage, TimeProvider time)
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
            var computed = calculator.Compute(uscc, await portraits.SignalsAsync(uscc, cancellationToken), evidence, time.GetUtcNow()) with { CreditRecordCount = evidence.Count };
            if (await portraits.TrySaveAsync(computed, causedBy, cancellationToken) is { } standing)
            {
                return standing;
            }
        }

        throw new InvalidOperationException($"the portrait of {uscc} kept changing under 20 attempts to update it");
    }

    /// <summary>The enterprise's bureau scores and association ratings, each on its source's scale and trust.</summary>
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
            }
        }

        return evidence;
    }
}
