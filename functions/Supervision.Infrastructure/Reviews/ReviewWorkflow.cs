namespace Supervision.Infrastructure.Reviews;

/// <summary>The orchestrators and activities of joint reviews: what every host must register.</summary>
public static class ReviewWorkflow
{
    public static readonly Type[] Orchestrators = [typeof(JointReviewOrchestrator), typeof(DepartmentReviewOrchestrator)];

    public static readonly Type[] Activities =
    [
        typeof(OpenCaseActivity),
        typeof(NotifyDepartmentActivity),
        typeof(RemindDepartmentActivity),
        typeof(EscalateToSupervisorActivity),
        typeof(EscalateOverdueActivity),
        typeof(RecordInformationRequestActivity),
        typeof(ApplyMeasuresActivity),
        typeof(RecordImplementationActivity),
        typeof(NotifyEnterpriseActivity),
        typeof(LiftMeasuresActivity),
        typeof(RecordRepairRequestActivity),
        typeof(RecordRepairDecisionActivity),
        typeof(ReopenOnObjectionActivity),
        typeof(ConcludeObjectionActivity),
        typeof(CloseCaseActivity),
    ];
}
