using Microsoft.DurableTask;
using Supervision.Domain.Reviews;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// A joint review: open the case, let every department named by the memorandum review it in its
/// own sub-orchestration, apply what was approved, close the case. Only people impose measures:
/// a department that lets its deadline pass contributes none.
/// </summary>
public sealed class JointReviewOrchestrator : TaskOrchestrator<ReviewRequest, ReviewOutcome>
{
    public override async Task<ReviewOutcome> RunAsync(TaskOrchestrationContext context, ReviewRequest request)
    {
        await context.CallActivityAsync(nameof(OpenCaseActivity), request);

        var reviews = request.Departments.Select(d => context.CallSubOrchestratorAsync<DepartmentOutcome>(
            nameof(DepartmentReviewOrchestrator),
            new DepartmentReviewInput(request.CaseId, request.Uscc, d.Department, request.DecisionWindow),
            new SubOrchestrationOptions { InstanceId = ReviewNames.DepartmentInstanceId(request.CaseId, d.Department) }));
        var outcomes = await Task.WhenAll(reviews);

        var measures = await context.CallActivityAsync<IReadOnlyList<AppliedMeasure>>(
            nameof(ApplyMeasuresActivity),
            new ApplyMeasuresInput(request, outcomes, context.CurrentUtcDateTime));

        var outcome = new ReviewOutcome(request.CaseId, outcomes, measures);
        await context.CallActivityAsync(nameof(CloseCaseActivity), new CloseCaseInput(request, outcome));
        return outcome;
    }
}

/// <summary>
/// One department's part of a review: notify its reviewers, then wait for their decision raced
/// against the deadline. At the deadline the department is recorded overdue and escalated.
/// </summary>
public sealed class DepartmentReviewOrchestrator : TaskOrchestrator<DepartmentReviewInput, DepartmentOutcome>
{
    public override async Task<DepartmentOutcome> RunAsync(TaskOrchestrationContext context, DepartmentReviewInput input)
    {
        await context.CallActivityAsync(nameof(NotifyDepartmentActivity), input);

        using var deadlineCancellation = new CancellationTokenSource();
        var deadline = context.CreateTimer(context.CurrentUtcDateTime.Add(input.DecisionWindow), deadlineCancellation.Token);
        var decision = context.WaitForExternalEvent<DepartmentDecision>(ReviewNames.DecisionEvent);

        if (await Task.WhenAny(decision, deadline) == decision)
        {
            await deadlineCancellation.CancelAsync();
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
