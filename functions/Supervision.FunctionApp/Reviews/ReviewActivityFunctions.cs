using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Reviews;

namespace Supervision.FunctionApp.Reviews;

/// <summary>
/// Function entry points for the review activities, hand-written for the same reason as the
/// orchestrator ones. Each builds the activity class from the invocation's services and runs it.
/// </summary>
public static class ReviewActivityFunctions
{
    [Function(nameof(OpenCaseActivity))]
    public static Task<bool> OpenCase([ActivityTrigger] ReviewRequest input, FunctionContext context) =>
        Run<OpenCaseActivity, ReviewRequest, bool>(input, context);

    [Function(nameof(NotifyDepartmentActivity))]
    public static Task<DepartmentDecision?> NotifyDepartment([ActivityTrigger] DepartmentReviewInput input, FunctionContext context) =>
        Run<NotifyDepartmentActivity, DepartmentReviewInput, DepartmentDecision?>(input, context);

    [Function(nameof(EscalateOverdueActivity))]
    public static Task<bool> EscalateOverdue([ActivityTrigger] DepartmentReviewInput input, FunctionContext context) =>
        Run<EscalateOverdueActivity, DepartmentReviewInput, bool>(input, context);

    [Function(nameof(RemindDepartmentActivity))]
    public static Task<bool> RemindDepartment([ActivityTrigger] DepartmentReviewInput input, FunctionContext context) =>
        Run<RemindDepartmentActivity, DepartmentReviewInput, bool>(input, context);

    [Function(nameof(EscalateToSupervisorActivity))]
    public static Task<bool> EscalateToSupervisor([ActivityTrigger] DepartmentReviewInput input, FunctionContext context) =>
        Run<EscalateToSupervisorActivity, DepartmentReviewInput, bool>(input, context);

    [Function(nameof(RecordInformationRequestActivity))]
    public static Task<bool> RecordInformationRequest([ActivityTrigger] InformationRequestInput input, FunctionContext context) =>
        Run<RecordInformationRequestActivity, InformationRequestInput, bool>(input, context);

    [Function(nameof(RecordImplementationActivity))]
    public static Task<bool> RecordImplementation([ActivityTrigger] ImplementationInput input, FunctionContext context) =>
        Run<RecordImplementationActivity, ImplementationInput, bool>(input, context);

    [Function(nameof(NotifyEnterpriseActivity))]
    public static Task<bool> NotifyEnterprise([ActivityTrigger] EnterpriseNoticeInput input, FunctionContext context) =>
        Run<NotifyEnterpriseActivity, EnterpriseNoticeInput, bool>(input, context);

    [Function(nameof(LiftMeasuresActivity))]
    public static Task<bool> LiftMeasures([ActivityTrigger] LiftMeasuresInput input, FunctionContext context) =>
        Run<LiftMeasuresActivity, LiftMeasuresInput, bool>(input, context);

    [Function(nameof(RecordRepairRequestActivity))]
    public static Task<bool> RecordRepairRequest([ActivityTrigger] RepairRequestInput input, FunctionContext context) =>
        Run<RecordRepairRequestActivity, RepairRequestInput, bool>(input, context);

    [Function(nameof(RecordRepairDecisionActivity))]
    public static Task<bool> RecordRepairDecision([ActivityTrigger] RepairDecisionInput input, FunctionContext context) =>
        Run<RecordRepairDecisionActivity, RepairDecisionInput, bool>(input, context);

    [Function(nameof(ApplyMeasuresActivity))]
    public static Task<IReadOnlyList<AppliedMeasure>> ApplyMeasures([ActivityTrigger] ApplyMeasuresInput input, FunctionContext context) =>
        Run<ApplyMeasuresActivity, ApplyMeasuresInput, IReadOnlyList<AppliedMeasure>>(input, context);

    [Function(nameof(ReopenOnObjectionActivity))]
    public static Task<bool> ReopenOnObjection([ActivityTrigger] ObjectionInput input, FunctionContext context) =>
        Run<ReopenOnObjectionActivity, ObjectionInput, bool>(input, context);

    [Function(nameof(ConcludeObjectionActivity))]
    public static Task<bool> ConcludeObjection([ActivityTrigger] ObjectionOutcomeInput input, FunctionContext context) =>
        Run<ConcludeObjectionActivity, ObjectionOutcomeInput, bool>(input, context);

    [Function(nameof(CloseCaseActivity))]
    public static Task<bool> CloseCase([ActivityTrigger] CloseCaseInput input, FunctionContext context) =>
        Run<CloseCaseActivity, CloseCaseInput, bool>(input, context);

    private static Task<TOutput> Run<TActivity, TInput, TOutput>(TInput input, FunctionContext context)
        where TActivity : TaskActivity<TInput, TOutput>
    {
        var activity = ActivatorUtilities.GetServiceOrCreateInstance<TActivity>(context.InstanceServices);
        var instanceId = context.BindingContext.BindingData.TryGetValue("instanceId", out var id)
            ? id?.ToString() ?? string.Empty
            : string.Empty;
        return activity.RunAsync(new FunctionActivityContext(typeof(TActivity).Name, instanceId), input);
    }

    private sealed class FunctionActivityContext(string name, string instanceId) : TaskActivityContext
    {
        public override TaskName Name { get; } = name;

        public override string InstanceId { get; } = instanceId;
    }
}
