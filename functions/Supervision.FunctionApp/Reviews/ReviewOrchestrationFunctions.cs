using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Reviews;

namespace Supervision.FunctionApp.Reviews;

/// <summary>
/// Function entry points for the review orchestrators. Microsoft.DurableTask.Generators would
/// write these, but it is not available to us, so they are written by hand (one line each); a
/// test fails when an orchestrator has none.
/// </summary>
public static class ReviewOrchestrationFunctions
{
    [Function(nameof(JointReviewOrchestrator))]
    public static Task<ReviewOutcome> JointReview([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new JointReviewOrchestrator().RunAsync(context, context.GetInput<ReviewRequest>()!);

    [Function(nameof(DepartmentReviewOrchestrator))]
    public static Task<DepartmentOutcome> DepartmentReview([OrchestrationTrigger] TaskOrchestrationContext context) =>
        new DepartmentReviewOrchestrator().RunAsync(context, context.GetInput<DepartmentReview>()!);
}
