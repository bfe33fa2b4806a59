using Microsoft.DurableTask;
using Supervision.Domain.Reviews;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// One department's review of a case, as its own orchestration (instance
/// <see cref="ReviewNames.DepartmentReviewInstanceFor"/>): the department is notified; reminded
/// at half its window; escalated to its supervisor at three quarters; at the deadline recorded
/// overdue and escalated to the case owner, never imposing a measure by itself. A request for
/// more information restarts the window. A decision recorded over HTTP before this instance
/// existed is read when it starts, so no decision is lost to the race between the two.
/// </summary>
public sealed class DepartmentReviewOrchestrator : TaskOrchestrator<DepartmentReview, DepartmentOutcome>
{
    // Where in a department's window the reminder and the supervisor's escalation fall.
    private const double ReminderAt = 0.5;
    private const double SupervisorAt = 0.75;

    public override Task<DepartmentOutcome> RunAsync(TaskOrchestrationContext context, DepartmentReview review) =>
        ReviewAsync(context, review.Input, review.Timings, readsStandingDecision: true);

    /// <param name="readsStandingDecision">
    /// False for reviews of revision 1, run inline: their notification returned nothing, and their
    /// replays must not read a decision out of it.
    /// </param>
    internal static async Task<DepartmentOutcome> ReviewAsync(
        TaskOrchestrationContext context, DepartmentReviewInput input, ReviewTimings timings, bool readsStandingDecision)
    {
        if (readsStandingDecision)
        {
            // Only approvals and rejections are stored, so a standing decision ends the review.
            if (await context.CallActivityAsync<DepartmentDecision?>(nameof(NotifyDepartmentActivity), input) is { } standing)
            {
                return OutcomeOf(input, standing);
            }
        }
        else
        {
            await context.CallActivityAsync(nameof(NotifyDepartmentActivity), input);
        }

        var windowStart = context.CurrentUtcDateTime;
        var stage = 0;
        var informationRequests = 0;

        // One waiter for the department's events at a time: an abandoned waiter would swallow the next event.
        var decision = context.WaitForExternalEvent<DepartmentDecision>(ReviewNames.DecisionEventFor(input.Department, input.Round));

        // Bounded: every pass either ends the review, moves to the next stage, or answers one
        // more request for information, and a department's information requests are bounded too.
        while (stage <= 2 && informationRequests <= timings.MaxInformationRequests + 1)
        {
            var fraction = stage switch { 0 => ReminderAt, 1 => SupervisorAt, _ => 1.0 };
            using var stageCancellation = new CancellationTokenSource();
            var stageTimer = context.CreateTimer(windowStart + (input.DecisionWindow * fraction), stageCancellation.Token);
            if (await Task.WhenAny(decision, stageTimer) == decision)
            {
                // Synchronous on purpose: CancelAsync runs the callbacks on the thread pool, and an
                // orchestrator's continuations must stay on the orchestration's own scheduler.
                stageCancellation.Cancel();
                var verdict = decision.Result;
                if (verdict.Verdict == DecisionVerdict.RequestInformation)
                {
                    informationRequests++;
                    await context.CallActivityAsync(
                        nameof(RecordInformationRequestActivity),
                        new InformationRequestInput(
                            input, verdict, informationRequests, informationRequests <= timings.MaxInformationRequests));
                    if (informationRequests <= timings.MaxInformationRequests)
                    {
                        windowStart = context.CurrentUtcDateTime;
                        stage = 0;
                    }

                    decision = context.WaitForExternalEvent<DepartmentDecision>(
                        ReviewNames.DecisionEventFor(input.Department, input.Round));
                    continue;
                }

                return OutcomeOf(input, verdict);
            }

            switch (stage++)
            {
                case 0:
                    await context.CallActivityAsync(nameof(RemindDepartmentActivity), input);
                    break;
                case 1:
                    await context.CallActivityAsync(nameof(EscalateToSupervisorActivity), input);
                    break;
                default:
                    await context.CallActivityAsync(nameof(EscalateOverdueActivity), input);
                    return new DepartmentOutcome(
                        input.Department, DepartmentOutcomeStatus.Overdue, null, "no decision before the deadline");
            }
        }

        // Asked for information more often than allowed and never decided: treated like silence.
        await context.CallActivityAsync(nameof(EscalateOverdueActivity), input);
        return new DepartmentOutcome(
            input.Department, DepartmentOutcomeStatus.Overdue, null, "asked for information beyond its allowance without deciding");
    }

    private static DepartmentOutcome OutcomeOf(DepartmentReviewInput input, DepartmentDecision decision) =>
        new(
            input.Department,
            decision.Verdict == DecisionVerdict.Approve ? DepartmentOutcomeStatus.Approved : DepartmentOutcomeStatus.Rejected,
            decision.DecidedBy,
            decision.Comment);
}

/// <summary>What a department's review orchestration needs: the department and case, and the case's timings.</summary>
public sealed record DepartmentReview(DepartmentReviewInput Input, ReviewTimings Timings);
