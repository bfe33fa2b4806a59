using Microsoft.DurableTask;
using Supervision.Domain.Reviews;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// A joint review: open the case, let every department named by the memorandum review it in
/// parallel, apply what was approved, close the case. Each department's branch notifies its
/// reviewers, then waits for its own decision event raced against its deadline; at the deadline
/// the department is recorded overdue and escalated. Only people impose measures: an overdue
/// department contributes none.
/// </summary>
/// <remarks>
/// Departments are branches of this orchestration rather than sub-orchestrations because the
/// local host's Durable Task sidecar (InProcessTestHost 0.2.3-preview.1) over the Azure Storage
/// backend stores sub-orchestration creation events without their type and never starts the
/// children; branches behave the same on every backend.
/// </remarks>
public sealed class JointReviewOrchestrator : TaskOrchestrator<ReviewRequest, ReviewOutcome>
{
    public override async Task<ReviewOutcome> RunAsync(TaskOrchestrationContext context, ReviewRequest request)
    {
        await context.CallActivityAsync(nameof(OpenCaseActivity), request);

        var outcomes = await Task.WhenAll(request.Departments.Select(d =>
            ReviewByDepartmentAsync(context, new DepartmentReviewInput(request.CaseId, request.Uscc, d.Department, request.DecisionWindow, request.TraceParent))));

        var measures = await context.CallActivityAsync<IReadOnlyList<AppliedMeasure>>(
            nameof(ApplyMeasuresActivity),
            new ApplyMeasuresInput(request, outcomes, context.CurrentUtcDateTime));

        var outcome = new ReviewOutcome(request.CaseId, outcomes, measures);
        await context.CallActivityAsync(nameof(CloseCaseActivity), new CloseCaseInput(request, outcome));
        return outcome;
    }

    private static async Task<DepartmentOutcome> ReviewByDepartmentAsync(TaskOrchestrationContext context, DepartmentReviewInput input)
    {
        await context.CallActivityAsync(nameof(NotifyDepartmentActivity), input);

        using var deadlineCancellation = new CancellationTokenSource();
        var deadline = context.CreateTimer(context.CurrentUtcDateTime.Add(input.DecisionWindow), deadlineCancellation.Token);
        var decision = context.WaitForExternalEvent<DepartmentDecision>(ReviewNames.DecisionEventFor(input.Department));

        if (await Task.WhenAny(decision, deadline) == decision)
        {
            // Synchronous on purpose: CancelAsync runs the callbacks on the thread pool, and an
            // orchestrator's continuations must stay on the orchestration's own scheduler.
            deadlineCancellation.Cancel();
            var verdict = decision.Result;
            var status = verdict.Verdict == DecisionVerdict.Approve ? DepartmentOutcomeStatus.Approved : DepartmentOutcomeStatus.Rejected;
            return new DepartmentOutcome(input.Department, status, verdict.DecidedBy, verdict.Comment);
        }

        await context.CallActivityAsync(nameof(EscalateOverdueActivity), input);
        return new DepartmentOutcome(input.Department, DepartmentOutcomeStatus.Overdue, null, "no decision before the deadline");
    }
}

public sealed record ApplyMeasuresInput(ReviewRequest Request, IReadOnlyList<DepartmentOutcome> Outcomes, DateTime DecidedAtUtc);

public sealed record CloseCaseInput(ReviewRequest Request, ReviewOutcome Outcome);
