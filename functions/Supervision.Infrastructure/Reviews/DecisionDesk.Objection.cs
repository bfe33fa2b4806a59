using Microsoft.Extensions.Logging;
using Supervision.Domain.Audit;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Problems;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;

namespace Supervision.Infrastructure.Reviews;

public sealed partial class DecisionDesk
{
    /// <summary>
    /// The enterprise a case concerns objects to its measures. Accepted once per case, within the
    /// window its notice named; the review re-opens and each department with measures decides again.
    /// </summary>
    public async Task<DeskOutcome> ObjectAsync(
        Caller caller, string caseId, string body, IReviewEvents events, CancellationToken cancellationToken)
    {
        var (record, refused) = await EnterprisesOwnCaseAsync(caller, caseId, body, "An objection", "object", cancellationToken);
        if (record is null)
        {
            return refused!;
        }

        var reason = DeskBodies.ReadComment(body);
        if (string.IsNullOrWhiteSpace(reason))
        {
            return DeskOutcome.Invalid(
                ProblemKinds.ReasonNeeded, "An objection needs {\"comment\":\"what is wrong with the decision, and the evidence\"}.");
        }

        var hash = ContentHash.Sha256Hex(body);
        var standing = (await audit.ForSubjectAsync(caseId, cancellationToken)).FirstOrDefault(e => e.Action == "objection-received");
        if (standing is not null)
        {
            // Once per case: the same objection again changes nothing; a different one comes too late.
            return standing.InputsSha256 == hash
                ? DeskOutcome.Repeated(new { CaseId = caseId, Repeated = true })
                : DeskOutcome.Conflict(
                    ProblemKinds.AlreadyObjected,
                    $"An objection to case '{caseId}' was filed at {standing.At:O}; the review is re-opened once.");
        }

        var now = time.GetUtcNow();
        var open = record.Kind == MemorandumKind.Punishment && record.Status == CaseStatus.MeasuresInForce;
        if (!open || record.ObjectionDeadline is not { } deadline || now > deadline)
        {
            var why = record.ObjectionDeadline is { } closed && now > closed
                ? $"the objection window closed at {closed:O}"
                : $"the case has no punishment open to objection ({record.Kind}, {record.Status})";
            return DeskOutcome.Conflict(ProblemKinds.NoObjectionPossible, $"Case '{caseId}': {why}.");
        }

        var entry = new AuditEntry(caseId, "objection-received", caller.Subject, now, reason, hash);
        await audit.AppendAsync(entry, "objection-received", cancellationToken);
        await events.RaiseAsync(caseId, ReviewNames.ObjectionEvent, new Objection(caller.Subject, reason, now), cancellationToken);
        var reopenedFor = record.Outcome?.Measures.Select(m => m.Department).Distinct(StringComparer.Ordinal);
        return DeskOutcome.Accepted(new { CaseId = caseId, ReopenedFor = reopenedFor });
    }

    /// <summary>Only the enterprise a case concerns may speak for it; null when the caller is that enterprise.</summary>
    /// <summary>
    /// The case an enterprise's own request (objection, repair) is about, or why there is none for this
    /// caller: the body too large, no such case, or another enterprise's case.
    /// </summary>
    private async Task<(CaseRecord? Case, DeskOutcome? Refusal)> EnterprisesOwnCaseAsync(
        Caller caller, string caseId, string body, string what, string action, CancellationToken cancellationToken)
    {
        if (DeskBodies.TooLarge(body, what) is { } tooLarge)
        {
            return (null, tooLarge);
        }

        var record = await cases.GetAsync(caseId, cancellationToken);
        if (record is null)
        {
            return (null, DeskOutcome.NotFound(ProblemKinds.NoSuchCase, $"There is no review case '{caseId}'."));
        }

        return RefuseUnlessTheEnterprise(caller, record, action) is { } forbidden ? (null, forbidden) : (record, null);
    }

    private DeskOutcome? RefuseUnlessTheEnterprise(Caller caller, CaseRecord record, string action)
    {
        if (DecisionAccess.CheckEnterprise(caller, record.Uscc) == AccessVerdict.Allowed)
        {
            return null;
        }

        logger.LogWarning(
            "{Caller} tried to {Action} on behalf of {Uscc} on {CaseId}",
            caller.Describe(),
            action,
            record.Uscc,
            record.CaseId);
        return DeskOutcome.Forbidden(ProblemKinds.NotThisEnterprise, $"Only enterprise {record.Uscc} may {action} on its case.");
    }
}
