using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Domain.Enterprises;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Domain.Scoring;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// Starts one joint review under a case id the caller chose (<see cref="FlaggedEnterpriseHandler"/>
/// is the only caller): freezes the portrait it opens on in a case file, then starts the
/// orchestration. A start is refused for an instance that exists in any state, and one insert-once
/// claim row decides between starters racing for the same id, so a case starts once.
/// The Durable client is passed in because the Functions worker binds it per invocation. Public
/// only so that the handler can take it by injection: nothing of it is visible outside.
/// </summary>
public sealed class ReviewStarter(
    CaseStore cases,
    CaseFileStore caseFiles,
    IOptions<ReviewOptions> options,
    PortraitRules rules,
    ISentimentScorer scorer,
    TimeProvider time,
    ILogger<ReviewStarter> logger)
{
    /// <summary>How long a claim with no started case holds before another starter takes it over.</summary>
    internal static readonly TimeSpan ClaimGrace = TimeSpan.FromMinutes(2);

    private static readonly OrchestrationRuntimeStatus[] AnyStatus = Enum.GetValues<OrchestrationRuntimeStatus>();

    /// <summary>
    /// Opens the case unless its instance exists or another starter holds a fresh claim on it.
    /// True when this call started it.
    /// </summary>
    internal async Task<bool> OpenAsync(
        DurableTaskClient durable,
        string caseId,
        Enterprise enterprise,
        Memorandum memorandum,
        CreditPortrait portrait,
        CancellationToken cancellationToken)
    {
        if (await durable.GetInstanceAsync(caseId, cancellationToken) is not null)
        {
            // Checked before the case file is written, so that a repeated flag writes nothing.
            return false;
        }

        var openedAt = time.GetUtcNow();
        var caseFile = await caseFiles.WriteAsync(CaseFileOf(caseId, memorandum.Id, enterprise, portrait, openedAt), cancellationToken);
        var review = options.Value;
        var request = new ReviewRequest(
            caseId,
            enterprise.Uscc,
            enterprise.Name,
            memorandum.Id,
            memorandum.Kind,
            portrait.Grade,
            portrait.Score,
            portrait.Contributions.Select(c => c.ItemId).Take(20).ToList(),
            memorandum.Departments,
            review.DecisionWindow,
            openedAt,
            SupervisionTelemetry.CurrentTraceParent,
            new ReviewTimings(review.FeedbackWindow, review.MeasureDuration, review.MaxInformationRequests, review.ObjectionWindow),
            Basis(portrait),
            ReviewRequest.CurrentRevision,
            caseFile.Name,
            caseFile.Sha256,
            memorandum.Owner);
        return await TryStartAsync(durable, request, cancellationToken);
    }

    private CaseFile CaseFileOf(
        string caseId, string memorandumId, Enterprise enterprise, CreditPortrait portrait, DateTimeOffset openedAt) => new(
        caseId, memorandumId, enterprise.Uscc, enterprise.Name, openedAt, portrait, scorer.ModelVersion, Thresholds(),
        portrait.Contributions
            .Select(c => new CaseFileEvidence(c.ItemId, c.SourceId, c.Title, c.Category, c.Risk, c.RawSha256, RawBlobs.PathOf(c.RawSha256)))
            .ToList());

    private string Thresholds() => string.Create(
        CultureInfo.InvariantCulture, $"A ≥ {rules.GradeAMinimum}, B ≥ {rules.GradeBMinimum}, C ≥ {rules.GradeCMinimum}");

    /// <summary>What the case rests on, for the audit: models, thresholds, and the evidence counted.</summary>
    private string Basis(CreditPortrait portrait)
    {
        var credit = portrait.CreditContributions
            .Select(c => $"{c.Kind} {c.Value} sha256 {c.FileSha256[..Math.Min(12, c.FileSha256.Length)]}");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"models {scorer.ModelVersion}; grade thresholds {Thresholds()}; risk index {portrait.RiskIndex} from "
            + $"{portrait.Contributions.Count} adverse of {portrait.SignalCount} signals; opinion score {portrait.OpinionScore}; "
            + $"{portrait.CreditContributions.Count} credit records ({string.Join(", ", credit)})");
    }

    private async Task<bool> TryStartAsync(DurableTaskClient durable, ReviewRequest request, CancellationToken cancellationToken)
    {
        // Deliveries for the same enterprise run concurrently, and the backend's own dedupe does
        // not cover two starts in the same instant. One insert-once claim row decides who starts
        // the case. A claim whose holder died before starting is taken over after a grace period.
        var claim = await cases.ClaimAsync(request.CaseId, time.GetUtcNow(), cancellationToken);
        if (!claim.Won && time.GetUtcNow() - claim.ClaimedAt < ClaimGrace)
        {
            return false;
        }

        try
        {
            var start = new StartOrchestrationOptions(request.CaseId).WithDedupeStatuses(AnyStatus);
            await durable.ScheduleNewOrchestrationInstanceAsync(nameof(JointReviewOrchestrator), request, start, cancellationToken);
            SupervisionTelemetry.EnterprisesFlagged.Add(1);
            logger.LogInformation("Opened joint review {CaseId} for {Uscc} at grade {Grade}", request.CaseId, request.Uscc, request.Grade);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Refused because the instance exists after all: the outcome we wanted.
            if (await durable.GetInstanceAsync(request.CaseId, cancellationToken) is not null)
            {
                return false;
            }

            throw;
        }
    }
}
