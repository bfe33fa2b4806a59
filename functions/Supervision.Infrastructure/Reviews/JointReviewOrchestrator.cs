using Microsoft.DurableTask;
using Supervision.Domain.Reviews;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// A joint review, from opening to the last measure's end:
/// open the case → every department named by the memorandum reviews it in parallel, each in its
/// own <see cref="DepartmentReviewOrchestrator"/> → approved measures applied → each
/// department reports that it implemented them, and the enterprise is notified → within the
/// objection window the enterprise may object, which re-opens the review: each department with
/// measures reviews them again and a rejection withdraws them → each measure still standing is
/// lifted when it ends, or earlier if the market regulator approves a credit-repair request →
/// case closed. All time comes from the orchestration context.
/// </summary>
public sealed class JointReviewOrchestrator : TaskOrchestrator<ReviewRequest, ReviewOutcome>
{
    public override async Task<ReviewOutcome> RunAsync(TaskOrchestrationContext context, ReviewRequest request)
    {
        var timings = request.Timings ?? ReviewTimings.Default;
        await context.CallActivityAsync(nameof(OpenCaseActivity), request);

        var outcomes = await Task.WhenAll(request.Departments.Select(d => ReviewByDepartmentAsync(
            context,
            request,
            new DepartmentReviewInput(request.CaseId, request.Uscc, d.Department, request.DecisionWindow, request.TraceParent),
            timings)));

        var measures = await context.CallActivityAsync<IReadOnlyList<AppliedMeasure>>(
            nameof(ApplyMeasuresActivity),
            new ApplyMeasuresInput(request, outcomes, context.CurrentUtcDateTime));

        if (measures.Count > 0)
        {
            // Initiate – respond – feedback: every department with measures reports, or is chased.
            await Task.WhenAll(measures.Select(m => m.Department).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(department => AwaitImplementationAsync(context, request, department, timings)));
            var objectionDeadline = ObjectionDeadline(context, request, measures, timings);
            await context.CallActivityAsync(
                nameof(NotifyEnterpriseActivity), new EnterpriseNoticeInput(request, measures, objectionDeadline));
            if (objectionDeadline is { } deadline)
            {
                measures = await HearObjectionAsync(context, request, measures, deadline, timings);
            }

            await LiftWhenDueAsync(context, request, measures);
        }

        var outcome = new ReviewOutcome(request.CaseId, outcomes, measures);
        await context.CallActivityAsync(nameof(CloseCaseActivity), new CloseCaseInput(request, outcome));
        return outcome;
    }

    /// <summary>
    /// Until when the enterprise may object: the configured window, cut short by the first
    /// measure's end (an objection to a measure that has run its course changes nothing). Only
    /// punishments can be objected to.
    /// </summary>
    private static DateTime? ObjectionDeadline(
        TaskOrchestrationContext context, ReviewRequest request, IReadOnlyList<AppliedMeasure> measures, ReviewTimings timings)
    {
        if (request.Kind != MemorandumKind.Punishment || timings.ObjectionWindow is not { } window || window <= TimeSpan.Zero)
        {
            return null;
        }

        var end = context.CurrentUtcDateTime + window;
        var firstEnd = measures.Min(m => m.EndsAt).UtcDateTime;
        return firstEnd < end ? firstEnd : end;
    }

    /// <summary>
    /// Waits for an objection until the deadline. An objection re-opens the review: every
    /// department with measures decides again (same stages and deadline); a rejection withdraws
    /// its measures, an approval upholds them, and silence leaves standing what people decided.
    /// Returns the measures still in force.
    /// </summary>
    private static async Task<IReadOnlyList<AppliedMeasure>> HearObjectionAsync(
        TaskOrchestrationContext context,
        ReviewRequest request,
        IReadOnlyList<AppliedMeasure> measures,
        DateTime deadline,
        ReviewTimings timings)
    {
        using var cancellation = new CancellationTokenSource();
        var closes = context.CreateTimer(deadline, cancellation.Token);
        var objection = context.WaitForExternalEvent<Objection>(ReviewNames.ObjectionEvent);
        if (await Task.WhenAny(objection, closes) == closes)
        {
            return measures;
        }

        cancellation.Cancel();
        await context.CallActivityAsync(nameof(ReopenOnObjectionActivity), new ObjectionInput(request, objection.Result, measures));
        var departments = measures.Select(m => m.Department).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var secondRound = await Task.WhenAll(departments.Select(d => ReviewByDepartmentAsync(
            context,
            request,
            new DepartmentReviewInput(request.CaseId, request.Uscc, d, request.DecisionWindow, request.TraceParent, Round: 2),
            timings)));

        var withdrawnBy = secondRound.Where(o => o.Status == DepartmentOutcomeStatus.Rejected)
            .Select(o => o.Department).ToHashSet(StringComparer.Ordinal);
        var withdrawn = measures.Where(m => withdrawnBy.Contains(m.Department)).ToList();
        if (withdrawn.Count > 0)
        {
            await context.CallActivityAsync(
                nameof(LiftMeasuresActivity),
                new LiftMeasuresInput(request, withdrawn, "withdrawn on review of the enterprise's objection", context.CurrentUtcDateTime));
        }

        var standing = measures.Where(m => !withdrawnBy.Contains(m.Department)).ToList();
        await context.CallActivityAsync(
            nameof(ConcludeObjectionActivity), new ObjectionOutcomeInput(request, objection.Result, secondRound, standing));
        return standing;
    }

    /// <summary>
    /// One department's review: its own sub-orchestration, whose instance id the API raises the
    /// department's decisions to; reviews opened before that (revision 1) run it inline, as their
    /// histories recorded it.
    /// </summary>
    private static Task<DepartmentOutcome> ReviewByDepartmentAsync(
        TaskOrchestrationContext context, ReviewRequest request, DepartmentReviewInput input, ReviewTimings timings) =>
        request.Revision >= ReviewRequest.CurrentRevision
            ? context.CallSubOrchestratorAsync<DepartmentOutcome>(
                nameof(DepartmentReviewOrchestrator),
                new DepartmentReview(input, timings),
                new SubOrchestrationOptions
                {
                    InstanceId = ReviewNames.DepartmentReviewInstanceFor(input.CaseId, input.Department, input.Round),
                })
            : DepartmentReviewOrchestrator.ReviewAsync(context, input, timings, readsStandingDecision: false);

    private static async Task<bool> AwaitImplementationAsync(
        TaskOrchestrationContext context, ReviewRequest request, string department, ReviewTimings timings)
    {
        using var cancellation = new CancellationTokenSource();
        var deadline = context.CreateTimer(context.CurrentUtcDateTime + timings.FeedbackWindow, cancellation.Token);
        var report = context.WaitForExternalEvent<ImplementationReport>(ReviewNames.ImplementedEventFor(department));
        var reported = await Task.WhenAny(report, deadline) == report;
        if (reported)
        {
            cancellation.Cancel();
        }

        await context.CallActivityAsync(
            nameof(RecordImplementationActivity), new ImplementationInput(request, department, reported ? report.Result : null));
        return reported;
    }

    /// <summary>
    /// Lifts each measure when it ends. A credit-repair request may come at any time; the market
    /// regulator's ruling on it, within the decision window, either lifts everything still in force
    /// (approve) or changes nothing (reject, or silence). A ruling counts only if it names the request
    /// (<see cref="RepairRuling.Answers"/>): one that names another or none is discarded and the wait
    /// goes on under the same deadline. A request raised again with an id already heard is not heard twice.
    /// </summary>
    private static async Task LiftWhenDueAsync(
        TaskOrchestrationContext context, ReviewRequest request, IReadOnlyList<AppliedMeasure> measures)
    {
        var inForce = measures.OrderBy(m => m.EndsAt).ToList();
        var heard = new HashSet<string>(StringComparer.Ordinal);
        var repair = context.WaitForExternalEvent<RepairRequest>(ReviewNames.RepairRequestEvent);

        // One ruling listener at a time, kept from one request to the next: a listener abandoned at a
        // deadline must not be the one that takes (and loses) the next request's ruling.
        Task<RepairRuling>? ruling = null;
        while (inForce.Count > 0)
        {
            var nextEnd = inForce[0].EndsAt.UtcDateTime;
            using var cancellation = new CancellationTokenSource();
            var due = nextEnd > context.CurrentUtcDateTime ? nextEnd : context.CurrentUtcDateTime;
            var expiry = context.CreateTimer(due, cancellation.Token);
            if (await Task.WhenAny(repair, expiry) == expiry)
            {
                var ended = inForce.Where(m => m.EndsAt.UtcDateTime <= nextEnd).ToList();
                await context.CallActivityAsync(
                    nameof(LiftMeasuresActivity), new LiftMeasuresInput(request, ended, "expired", context.CurrentUtcDateTime));
                inForce.RemoveAll(ended.Contains);
                continue;
            }

            cancellation.Cancel();
            var repairRequest = repair.Result;
            repair = context.WaitForExternalEvent<RepairRequest>(ReviewNames.RepairRequestEvent);
            if (repairRequest.Id is { } id && !heard.Add(id))
            {
                continue;
            }

            await context.CallActivityAsync(nameof(RecordRepairRequestActivity), new RepairRequestInput(request, repairRequest));
            DepartmentDecision? decision;
            (decision, ruling) = await AwaitRulingAsync(context, repairRequest, request.DecisionWindow, ruling);
            await context.CallActivityAsync(
                nameof(RecordRepairDecisionActivity), new RepairDecisionInput(request, repairRequest, decision));
            if (decision?.Verdict == DecisionVerdict.Approve)
            {
                var lifted = new LiftMeasuresInput(request, inForce.ToList(), "credit repaired", context.CurrentUtcDateTime);
                await context.CallActivityAsync(nameof(LiftMeasuresActivity), lifted);
                inForce.Clear();
            }
        }
    }

    /// <summary>
    /// Waits, until the decision window closes, for a ruling that names <paramref name="repair"/>;
    /// rulings on other requests are discarded. Returns the decision (null when none came in time) and
    /// the listener still waiting, if the deadline beat it.
    /// </summary>
    private static async Task<(DepartmentDecision? Decision, Task<RepairRuling>? Listening)> AwaitRulingAsync(
        TaskOrchestrationContext context, RepairRequest repair, TimeSpan window, Task<RepairRuling>? listening)
    {
        using var cancellation = new CancellationTokenSource();
        var deadline = context.CreateTimer(context.CurrentUtcDateTime + window, cancellation.Token);
        DepartmentDecision? decision = null;
        while (decision is null && !deadline.IsCompleted)
        {
            listening ??= context.WaitForExternalEvent<RepairRuling>(ReviewNames.RepairDecisionEvent);
            if (await Task.WhenAny(listening, deadline) == deadline)
            {
                break;
            }

            var ruling = listening.Result;
            listening = null;
            if (ruling.Answers(repair))
            {
                decision = ruling.ToDecision();
                cancellation.Cancel();
            }
        }

        return (decision, listening);
    }
}
