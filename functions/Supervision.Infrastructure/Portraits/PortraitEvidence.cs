using System.Collections.Concurrent;
using System.Globalization;
using Supervision.Domain.Credit;
using Supervision.Domain.Portraits;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Portraits;

/// <summary>
/// Computes an enterprise's portrait from its evidence: every signal, how far each adverse story
/// reached, and the bureau scores, association ratings and authority records on their sources'
/// scales and trust. With a time, only evidence that arrived at or after it counts: signals by
/// when their item arrived, credit records by when their file was taken; evidence stored before
/// arrival times were recorded has none and counts as old.
/// </summary>
public sealed class PortraitEvidence(
    SignalStore signals,
    CreditRecordStore creditRecords,
    SourceTable sources,
    StoryTable stories,
    PortraitCalculator calculator,
    TimeProvider time)
{
    public async Task<CreditPortrait> ComputeAsync(string uscc, DateTimeOffset? arrivedSince, CancellationToken cancellationToken)
    {
        var evidence = await CreditEvidenceAsync(uscc, arrivedSince, cancellationToken);
        var counted = (await signals.OfEnterpriseAsync(uscc, cancellationToken))
            .Where(s => arrivedSince is not { } since || s.ReceivedAt >= since)
            .ToList();
        var reach = await ReachAsync(counted, cancellationToken);
        return calculator.Compute(uscc, counted, evidence, time.GetUtcNow(), reach) with { CreditRecordCount = evidence.Count };
    }

    /// <summary>
    /// How many items carried each adverse signal's story (a signal's item is its story's first).
    /// Only repeated stories have a row, so most lookups find none and mean one. A repost that
    /// arrives later counts from the enterprise's next recomputation.
    /// </summary>
    private async Task<Dictionary<string, int>> ReachAsync(IReadOnlyList<Signal> counted, CancellationToken cancellationToken)
    {
        var reach = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            counted.Where(s => s.NegativeProbability > 0.5).Select(s => s.ItemId).Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (itemId, ct) =>
            {
                var carriedBy = await stories.ReachAsync(itemId, ct);
                if (carriedBy > 1)
                {
                    reach[itemId] = carriedBy;
                }
            });
        return new Dictionary<string, int>(reach, StringComparer.Ordinal);
    }

    /// <summary>The enterprise's credit records from registered sources, each on its source's scale and trust.</summary>
    private async Task<IReadOnlyList<CreditEvidence>> CreditEvidenceAsync(
        string uscc, DateTimeOffset? arrivedSince, CancellationToken cancellationToken)
    {
        var records = (await creditRecords.OfEnterpriseAsync(uscc, cancellationToken))
            .Where(r => arrivedSince is not { } since || r.TakenAt >= since)
            .ToList();
        if (records.Count == 0)
        {
            return [];
        }

        var registered = (await sources.ListAsync(cancellationToken)).ToDictionary(s => s.Definition.Id, StringComparer.Ordinal);
        var evidence = new List<CreditEvidence>();
        foreach (var stored in records)
        {
            if (registered.GetValueOrDefault(stored.SourceId) is { } source && Evidence(stored, source) is { } one)
            {
                evidence.Add(one);
            }
        }

        return evidence;
    }

    private static CreditEvidence? Evidence(StoredCreditRecord stored, SourceRow source)
    {
        var (sourceId, file, trust, definition) = (stored.SourceId, stored.FileSha256, source.Trust, source.Definition);
        return stored.Record switch
        {
            CreditScoreRecord score => new CreditEvidence(
                sourceId, nameof(CreditScoreRecord), score.Score.ToString(CultureInfo.InvariantCulture),
                CreditRecordReader.NormaliseScore(score.Score, definition.ScoreMinimum, definition.ScoreMaximum), trust,
                Midnight(score.AsOf) + definition.ScoreValidFor, file,
                Text($"score {score.Score} ({definition.ScoreMinimum}–{definition.ScoreMaximum}), grade {score.Grade}, ")
                    + Text($"as of {score.AsOf:yyyy-MM-dd}, model {score.ModelVersion}")),
            AssociationRating rating => new CreditEvidence(
                sourceId, nameof(AssociationRating), rating.Rating, CreditRecordReader.NormaliseRating(rating.Rating), trust,
                new DateTimeOffset(rating.ValidUntil.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero), file,
                Text($"rating {rating.Rating} in {rating.Industry}, valid until {rating.ValidUntil:yyyy-MM-dd}")),
            GovernmentRecord record => new CreditEvidence(
                sourceId, nameof(GovernmentRecord), record.TypeName, record.Normalised, trust, Midnight(record.CountsUntil), file,
                Text($"{record.TypeName} ({record.Severity}) by {record.Authority}, {record.Reference}, ")
                    + Text($"decided {record.DecidedOn:yyyy-MM-dd}: {record.Description}")
                    + (record.RemovedOn is { } removed ? Text($"; removed {removed:yyyy-MM-dd}") : string.Empty)),
            _ => null,
        };
    }

    private static DateTimeOffset Midnight(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
