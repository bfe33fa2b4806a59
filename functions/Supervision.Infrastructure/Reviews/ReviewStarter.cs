using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Domain.Enterprises;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// Opens a joint review when a portrait meets a memorandum's trigger. The case id is derived
/// from memorandum and enterprise, and the start is refused for an id that exists in any state,
/// so a second trigger (or a re-delivered message) opens nothing new. The Durable client is
/// passed in because the Functions worker binds it per invocation rather than through DI.
/// </summary>
public sealed class ReviewStarter(
    MemorandumCatalog catalog,
    CaseStore cases,
    CaseFileStore caseFiles,
    IOptions<ReviewOptions> options,
    PortraitRules rules,
    Supervision.Domain.Scoring.ISentimentScorer scorer,
    TimeProvider time,
    ILogger<ReviewStarter> logger)
{
    private static readonly OrchestrationRuntimeStatus[] AnyStatus = Enum.GetValues<OrchestrationRuntimeStatus>();
    private static readonly TimeSpan ClaimGrace = TimeSpan.FromMinutes(2);

    public async Task<IReadOnlyList<string>> OpenTriggeredAsync(DurableTaskClient durable, Enterprise enterprise, CreditPortrait portrait, CancellationToken cancellationToken)
    {
        var opened = new List<string>();
        foreach (var memorandum in catalog.TriggeredBy(portrait))
        {
            var caseId = ReviewNames.CaseIdFor(memorandum.Id, enterprise.Uscc);
            if (await durable.GetInstanceAsync(caseId, cancellationToken) is not null)
            {
                // Checked here as well as in TryStartAsync so that an enterprise with a case under
                // way does not get a new case file with every signal.
                continue;
            }

            var openedAt = time.GetUtcNow();
            var caseFile = await caseFiles.WriteAsync(CaseFileOf(caseId, memorandum.Id, enterprise, portrait, openedAt), cancellationToken);
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
                options.Value.DecisionWindow,
                openedAt,
                SupervisionTelemetry.CurrentTraceParent,
                new ReviewTimings(options.Value.FeedbackWindow, options.Value.MeasureDuration, options.Value.MaxInformationRequests, options.Value.ObjectionWindow),
                Basis(portrait),
                ReviewRequest.CurrentRevision,
                caseFile.Name,
                caseFile.Sha256);
            if (await TryStartAsync(durable, request, cancellationToken))
            {
                opened.Add(request.CaseId);
            }
        }

        return opened;
    }

    private CaseFile CaseFileOf(string caseId, string memorandumId, Enterprise enterprise, CreditPortrait portrait, DateTimeOffset openedAt) => new(
        caseId, memorandumId, enterprise.Uscc, enterprise.Name, openedAt, portrait, scorer.ModelVersion, Thresholds(),
        portrait.Contributions.Select(c => new CaseFileEvidence(c.ItemId, c.SourceId, c.Title, c.Category, c.Risk, c.RawSha256, $"{StorageNames.Containers.Raw}/{RawArchive.BlobName(c.RawSha256)}")).ToList());

    private string Thresholds() => string.Create(
        System.Globalization.CultureInfo.InvariantCulture, $"A ≥ {rules.GradeAMinimum}, B ≥ {rules.GradeBMinimum}, C ≥ {rules.GradeCMinimum}");

    /// <summary>What the case rests on, for the audit: models, thresholds, and the evidence counted.</summary>
    private string Basis(CreditPortrait portrait) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"models {scorer.ModelVersion}; grade thresholds {Thresholds()}; "
        + $"risk index {portrait.RiskIndex} from {portrait.Contributions.Count} adverse of {portrait.SignalCount} signals; opinion score {portrait.OpinionScore}; "
        + $"{portrait.CreditContributions.Count} credit records ({string.Join(", ", portrait.CreditContributions.Select(c => $"{c.Kind} {c.Value} sha256 {c.FileSha256[..Math.Min(12, c.FileSha256.Length)]}"))})");

    public async Task<bool> TryStartAsync(DurableTaskClient durable, ReviewRequest request, CancellationToken cancellationToken)
    {
        if (await durable.GetInstanceAsync(request.CaseId, cancellationToken) is not null)
        {
            return false;
        }

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
            await durable.ScheduleNewOrchestrationInstanceAsync(
                nameof(JointReviewOrchestrator), request, new StartOrchestrationOptions(request.CaseId).WithDedupeStatuses(AnyStatus), cancellationToken);
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
