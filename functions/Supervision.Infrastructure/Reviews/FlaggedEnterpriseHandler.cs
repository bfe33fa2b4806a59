using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Messages;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Enterprises;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// The reviews stage's intake, and the only place a review starts: "enterprise flagged" under a
/// memorandum opens a case, or nothing while one is open or being opened. After a case closed, a
/// flag counts only if it rests on evidence that arrived since; otherwise the portraits stage is
/// asked for a portrait of that evidence alone, and its flag, if any, opens the next occurrence
/// (<see cref="CaseOccurrences"/>). A redelivered or repeated flag opens nothing.
/// </summary>
public sealed class FlaggedEnterpriseHandler(
    EnterpriseRegistry enterprises,
    MemorandumCatalog catalog,
    CaseStore cases,
    ReviewStarter starter,
    StageMessages messages,
    TimeProvider time,
    ILogger<FlaggedEnterpriseHandler> logger)
{
    /// <summary>Handles one message; returns what was decided (a case opened is <see cref="FlagDecision.Occurrence"/>).</summary>
    public async Task<FlagDecision> HandleAsync(string message, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var flagged = StageMessages.Read<EnterpriseFlagged>(message);
        var memorandum = Check(flagged);
        using var span = SupervisionTelemetry.StartContinuing("OpenReview", flagged.TraceParent);
        span?.SetTag("supervision.uscc", flagged.Uscc);
        var enterprise = await enterprises.FindAsync(flagged.Uscc, cancellationToken)
            ?? throw new InvalidDataException($"the enterprise-flagged message names {flagged.Uscc}, which is not a registered enterprise");

        var latest = await cases.LatestOccurrenceAsync(memorandum.Id, enterprise.Uscc, cancellationToken);
        var decision = CaseOccurrences.Decide(latest, flagged.EvidenceSince, time.GetUtcNow(), ReviewStarter.ClaimGrace);
        switch (decision.Action)
        {
            case FlagAction.Open:
                var caseId = CaseOccurrences.CaseIdFor(memorandum.Id, enterprise.Uscc, decision.Occurrence);
                var opened = await starter.OpenAsync(durable, caseId, enterprise, memorandum, flagged.Portrait, cancellationToken);
                logger.LogInformation(
                    "Flag of {Uscc} under {Memorandum} ({CausedBy}): {Outcome} case {CaseId}: {Reason}",
                    enterprise.Uscc, memorandum.Id, flagged.CausedBy, opened ? "opened" : "did not reopen", caseId, decision.Reason);
                break;
            case FlagAction.Reassess:
                var traceParent = SupervisionTelemetry.CurrentTraceParent;
                await messages.SendAsync(
                    new ReassessEnterprise(enterprise.Uscc, flagged.CausedBy, traceParent, decision.EvidenceSince, memorandum.Id),
                    cancellationToken);
                logger.LogInformation(
                    "Flag of {Uscc} under {Memorandum} ({CausedBy}) asks for evidence since {Since:O}: {Reason}",
                    enterprise.Uscc, memorandum.Id, flagged.CausedBy, decision.EvidenceSince, decision.Reason);
                break;
            default:
                logger.LogDebug(
                    "Flag of {Uscc} under {Memorandum} ({CausedBy}) ignored: {Reason}",
                    enterprise.Uscc, memorandum.Id, flagged.CausedBy, decision.Reason);
                break;
        }

        return decision;
    }

    /// <summary>Refuses a message that lacks an enterprise, a known memorandum, a cause, or a portrait of that enterprise.</summary>
    private Memorandum Check(EnterpriseFlagged flagged)
    {
        if (string.IsNullOrWhiteSpace(flagged.Uscc) || string.IsNullOrWhiteSpace(flagged.CausedBy) || flagged.Portrait is null)
        {
            throw new InvalidDataException("the enterprise-flagged message names no enterprise, no cause or no portrait");
        }

        if (flagged.Portrait.Uscc != flagged.Uscc)
        {
            throw new InvalidDataException(
                $"the enterprise-flagged message for {flagged.Uscc} carries the portrait of {flagged.Portrait.Uscc}");
        }

        return catalog.Memoranda.FirstOrDefault(m => m.Id == flagged.MemorandumId && m.Enabled)
            ?? throw new InvalidDataException(
                $"the enterprise-flagged message for {flagged.Uscc} names no memorandum in force '{flagged.MemorandumId}'");
    }
}
