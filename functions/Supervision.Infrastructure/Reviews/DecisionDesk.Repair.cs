using Supervision.Domain.Audit;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Problems;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;

namespace Supervision.Infrastructure.Reviews;

public sealed partial class DecisionDesk
{
    /// <summary>
    /// The enterprise a case concerns asks for early credit repair while measures are in force; the
    /// market regulator rules on it. One request at a time: the same request again is a repeat, another
    /// while one awaits its ruling is refused.
    /// </summary>
    public async Task<DeskOutcome> RequestRepairAsync(
        Caller caller, string caseId, string body, IReviewEvents events, CancellationToken cancellationToken)
    {
        var (record, refused) = await EnterprisesOwnCaseAsync(
            caller, caseId, body, "A repair request", "ask for credit repair", cancellationToken);
        if (record is null)
        {
            return refused!;
        }

        if (record.Status != CaseStatus.MeasuresInForce)
        {
            return DeskOutcome.Conflict(ProblemKinds.NothingToRepair, $"Case '{caseId}' has no measures in force ({record.Status}).");
        }

        var reason = DeskBodies.ReadComment(body);
        if (string.IsNullOrWhiteSpace(reason))
        {
            return DeskOutcome.Invalid(
                ProblemKinds.ReasonNeeded, "A repair request needs {\"comment\":\"what was corrected, and the evidence\"}.");
        }

        var hash = ContentHash.Sha256Hex(body);
        var hearing = RepairHearing.Read(await audit.ForSubjectAsync(caseId, cancellationToken));
        if (hearing.Pending is { } pending)
        {
            if (pending.Entry.InputsSha256 != hash)
            {
                return DeskOutcome.Conflict(
                    ProblemKinds.RepairPending,
                    $"The request for credit repair filed on case '{caseId}' at {pending.Entry.At:O} awaits the "
                    + $"{ReviewNames.RepairDepartment}'s ruling; ask again once it is ruled on.");
            }

            // Raised again, as filed, in case the first call died between audit and raise; the review
            // hears each request id once.
            var again = new RepairRequest(pending.Entry.Actor, pending.Entry.Detail, pending.Entry.At, pending.Id);
            await events.RaiseAsync(caseId, ReviewNames.RepairRequestEvent, again, cancellationToken);
            return DeskOutcome.Repeated(
                new { CaseId = caseId, ReviewedBy = ReviewNames.RepairDepartment, RequestId = pending.Id, Repeated = true });
        }

        var now = time.GetUtcNow();
        var id = hearing.NextId(hash);
        var entry = new AuditEntry(caseId, RepairHearing.RequestReceived, caller.Subject, now, reason, hash);
        await audit.AppendAsync(entry, $"repair-received-{id}", cancellationToken);
        var request = new RepairRequest(caller.Subject, reason, now, id);
        await events.RaiseAsync(caseId, ReviewNames.RepairRequestEvent, request, cancellationToken);
        return DeskOutcome.Accepted(new { CaseId = caseId, ReviewedBy = ReviewNames.RepairDepartment, RequestId = id });
    }

    /// <summary>
    /// The market regulator rules on the repair request that awaits a ruling: approve lifts the measures
    /// in force, reject leaves them. With no request awaiting a ruling, or no measure in force, there is
    /// nothing to rule on (a ruling sent early would otherwise wait in the review and decide the next
    /// request unread). The ruling names the request it answers, and the review takes no other.
    /// </summary>
    public async Task<DeskOutcome> RuleOnRepairAsync(
        Caller caller, string caseId, string body, IReviewEvents events, CancellationToken cancellationToken)
    {
        if (DeskBodies.TooLarge(body, "A repair ruling") is { } tooLarge)
        {
            return tooLarge;
        }

        var read = DeskBodies.ReadDecision(body);
        if (read.Refusal is { } refusal)
        {
            return refusal;
        }

        var (verdict, comment) = read.Decision!;
        if (verdict is not (DecisionVerdict.Approve or DecisionVerdict.Reject))
        {
            return DeskOutcome.Invalid(
                ProblemKinds.NotARuling, $"A repair ruling is \"{VerdictNames.Approve}\" or \"{VerdictNames.Reject}\".");
        }

        var record = await cases.GetAsync(caseId, cancellationToken);
        if (record is null)
        {
            return DeskOutcome.NotFound(ProblemKinds.NoSuchCase, $"There is no review case '{caseId}'.");
        }

        var hash = ContentHash.Sha256Hex(body);
        var hearing = RepairHearing.Read(await audit.ForSubjectAsync(caseId, cancellationToken));
        if (hearing.Pending is not { } pending)
        {
            return await AnswerWithoutPendingRequestAsync(caller, record, hearing, read.Decision!, hash, events, cancellationToken);
        }

        if (record.Status != CaseStatus.MeasuresInForce)
        {
            return DeskOutcome.Conflict(ProblemKinds.NothingToRepair, $"Case '{caseId}' has no measures in force ({record.Status}).");
        }

        var now = time.GetUtcNow();
        var entry = new AuditEntry(caseId, RepairHearing.RulingReceived, caller.Subject, now, $"{verdict}: {comment}", hash);
        if (!await audit.AppendAsync(entry, $"repair-decision-{pending.Id}", cancellationToken))
        {
            return DeskOutcome.Conflict(
                ProblemKinds.AlreadyRuled, $"Another ruling on repair request {pending.Id} of case '{caseId}' was recorded first.");
        }

        var ruling = new RepairRuling(pending.Id, verdict, caller.Subject, comment, now);
        await events.RaiseAsync(caseId, ReviewNames.RepairDecisionEvent, ruling, cancellationToken);
        return DeskOutcome.Accepted(new { CaseId = caseId, Verdict = verdict, RequestId = pending.Id });
    }

    /// <summary>The same ruling again on the last request is a repeat; anything else has no request to rule on.</summary>
    private static async Task<DeskOutcome> AnswerWithoutPendingRequestAsync(
        Caller caller,
        CaseRecord record,
        RepairHearing hearing,
        DecisionText ruling,
        string hash,
        IReviewEvents events,
        CancellationToken cancellationToken)
    {
        var caseId = record.CaseId;
        if (hearing.LastRuling is not { } last)
        {
            return DeskOutcome.Conflict(
                ProblemKinds.NoRepairRequest,
                $"Case '{caseId}' has no request for credit repair awaiting a ruling; "
                + $"the {ReviewNames.RepairDepartment} rules on one the enterprise has filed.");
        }

        if (last.Entry.InputsSha256 != hash || last.Entry.Actor != caller.Subject)
        {
            return DeskOutcome.Conflict(
                ProblemKinds.AlreadyRuled,
                $"{last.Entry.Actor} ruled on the last repair request of case '{caseId}' at {last.Entry.At:O} ({last.Entry.Detail}); "
                + "no request awaits a ruling.");
        }

        // Raised again in case the first call died between audit and raise; a review that took it
        // already discards a ruling on a request it has finished with.
        if (await events.FindAsync(caseId, cancellationToken) is { Running: true })
        {
            var again = new RepairRuling(last.RequestId, ruling.Verdict, caller.Subject, ruling.Comment, last.Entry.At);
            await events.RaiseAsync(caseId, ReviewNames.RepairDecisionEvent, again, cancellationToken);
        }

        return DeskOutcome.Repeated(new { CaseId = caseId, ruling.Verdict, last.RequestId, Repeated = true });
    }
}
