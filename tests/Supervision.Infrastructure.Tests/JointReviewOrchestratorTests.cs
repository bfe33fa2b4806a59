using System.Linq.Expressions;
using Microsoft.DurableTask;
using Moq;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Reviews;

namespace Supervision.Infrastructure.Tests;

/// <summary>The orchestrator's decisions with the Durable context mocked at its seam.</summary>
public class JointReviewOrchestratorTests
{
    private static readonly DateTime Now = new(2026, 11, 28, 12, 0, 0, DateTimeKind.Utc);

    private static readonly Expression<Func<TaskOrchestrationContext, Task<IReadOnlyList<AppliedMeasure>>>> ApplyMeasures =
        c => c.CallActivityAsync<IReadOnlyList<AppliedMeasure>>(
            nameof(ApplyMeasuresActivity), It.IsAny<object?>(), It.IsAny<TaskOptions?>());

    [Fact]
    public async Task RunAsync_AllDepartmentsApprove_AppliesEveryMeasureAndClosesTheCase()
    {
        var context = Context(decided: ["customs", "tax", "procurement"]);
        ApplyMeasuresInput? applied = null;
        context.Setup(ApplyMeasures)
            .Callback<TaskName, object?, TaskOptions?>((_, input, _) => applied = (ApplyMeasuresInput)input!)
            .ReturnsAsync((TaskName _, object? input, TaskOptions? _) => Plan(input));

        var outcome = await new JointReviewOrchestrator().RunAsync(context.Object, Request());

        Assert.NotNull(applied);
        Assert.All(outcome.Departments, d => Assert.Equal(DepartmentOutcomeStatus.Approved, d.Status));
        Assert.Equal(3, outcome.Measures.Count);
        VerifyCalled(context, nameof(EscalateOverdueActivity), Times.Never());
        VerifyCalled(context, nameof(CloseCaseActivity), Times.Once());
    }

    [Fact]
    public async Task RunAsync_DepartmentMissesDeadline_IsEscalatedAndImposesNothing()
    {
        var context = Context(decided: ["customs", "tax"]);
        context.Setup(ApplyMeasures).ReturnsAsync((TaskName _, object? input, TaskOptions? _) => Plan(input));

        var outcome = await new JointReviewOrchestrator().RunAsync(context.Object, Request());

        Assert.Equal(DepartmentOutcomeStatus.Overdue, outcome.Departments.Single(d => d.Department == "procurement").Status);
        Assert.DoesNotContain(outcome.Measures, m => m.Department == "procurement");
        Assert.Equal(2, outcome.Measures.Count);
        VerifyCalled<DepartmentReviewInput>(context, nameof(EscalateOverdueActivity), i => i.Department == "procurement", Times.Once());
    }

    [Fact]
    public async Task RunAsync_SilentDepartment_IsRemindedThenEscalatedToItsSupervisorThenRecordedOverdue()
    {
        var context = Context(decided: ["customs", "tax"]);
        context.Setup(ApplyMeasures).ReturnsAsync([]);

        await new JointReviewOrchestrator().RunAsync(context.Object, Request());

        // Stages at half, three quarters and all of the window, from orchestration time.
        context.Verify(c => c.CreateTimer(Now.AddMinutes(5), It.IsAny<CancellationToken>()), Times.Exactly(3));
        context.Verify(c => c.CreateTimer(Now.AddMinutes(7.5), It.IsAny<CancellationToken>()), Times.Once);
        context.Verify(c => c.CreateTimer(Now.AddMinutes(10), It.IsAny<CancellationToken>()), Times.Once);
        string[] stages = [nameof(RemindDepartmentActivity), nameof(EscalateToSupervisorActivity), nameof(EscalateOverdueActivity)];
        foreach (var activity in stages)
        {
            VerifyCalled<DepartmentReviewInput>(context, activity, i => i.Department == "procurement", Times.Once());
            VerifyCalled<DepartmentReviewInput>(context, activity, i => i.Department != "procurement", Times.Never());
        }
    }

    [Fact]
    public async Task RunAsync_MeasuresApplied_AreChasedForFeedbackNotifiedAndLiftedAtTheirEnd()
    {
        var context = Context(decided: ["customs", "tax", "procurement"]);
        context.Setup(ApplyMeasures).ReturnsAsync((TaskName _, object? input, TaskOptions? _) => Plan(input));

        await new JointReviewOrchestrator().RunAsync(context.Object, Request());

        VerifyCalled<ImplementationInput>(context, nameof(RecordImplementationActivity), i => i.Report == null, Times.Exactly(3));
        VerifyCalled(context, nameof(NotifyEnterpriseActivity), Times.Once());
        // Customs and tax end after a year, procurement after three: two lifts, at those times.
        VerifyCalled<LiftMeasuresInput>(context, nameof(LiftMeasuresActivity), i => i.Reason == "expired", Times.Exactly(2));
        context.Verify(c => c.CreateTimer(Now.AddDays(365), It.IsAny<CancellationToken>()), Times.Once);
        context.Verify(c => c.CreateTimer(Now.AddDays(1095), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RunAsync_EachDepartment_ReviewsInItsOwnSubOrchestration()
    {
        var children = new List<string>();
        var context = Context(decided: ["customs", "tax", "procurement"], children);

        await new JointReviewOrchestrator().RunAsync(context.Object, Request());

        Assert.Equal(["case-1:customs", "case-1:procurement", "case-1:tax"], children.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ReviewOfRevision1_ReviewsItsDepartmentsInlineAsItsHistoryRecorded()
    {
        var context = Context(decided: ["customs", "tax", "procurement"]);

        var outcome = await new JointReviewOrchestrator().RunAsync(context.Object, Request() with { Revision = 1 });

        Assert.All(outcome.Departments, d => Assert.Equal(DepartmentOutcomeStatus.Approved, d.Status));
        context.Verify(
            c => c.CallSubOrchestratorAsync<DepartmentOutcome>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()),
            Times.Never);
        VerifyCalled(context, nameof(NotifyDepartmentActivity), Times.Exactly(3));
    }

    [Fact]
    public async Task DepartmentReview_DecisionAlreadyRecorded_EndsWithoutWaitingOrATimer()
    {
        var context = Context(decided: []);
        var recorded = new DepartmentDecision(DecisionVerdict.Reject, "tax-reviewer", "no grounds", DateTimeOffset.UnixEpoch);
        context.Setup(c => c.CallActivityAsync<DepartmentDecision?>(
                nameof(NotifyDepartmentActivity), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ReturnsAsync(recorded);
        var review = new DepartmentReview(new DepartmentReviewInput("case-1", "U", "tax", TimeSpan.FromMinutes(10)), ReviewTimings.Default);

        var outcome = await new DepartmentReviewOrchestrator().RunAsync(context.Object, review);

        Assert.Equal(new DepartmentOutcome("tax", DepartmentOutcomeStatus.Rejected, "tax-reviewer", "no grounds"), outcome);
        context.Verify(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()), Times.Never);
        context.Verify(c => c.WaitForExternalEvent<DepartmentDecision>(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>
    /// A mocked context on which sub-orchestrations run the real department review on the same
    /// mock (their instance ids collected in <paramref name="children"/>), so that the department
    /// stages are checked whether a review runs them inline or as children.
    /// </summary>
    private static Mock<TaskOrchestrationContext> Context(string[] decided, List<string>? children = null)
    {
        var context = new Mock<TaskOrchestrationContext>(MockBehavior.Loose);
        context.Setup(c => c.CallSubOrchestratorAsync<DepartmentOutcome>(
                nameof(DepartmentReviewOrchestrator), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns((TaskName _, object? input, TaskOptions? options) =>
            {
                children?.Add(((SubOrchestrationOptions)options!).InstanceId!);
                return new DepartmentReviewOrchestrator().RunAsync(context.Object, (DepartmentReview)input!);
            });
        context.SetupGet(c => c.CurrentUtcDateTime).Returns(Now);
        context.Setup(ApplyMeasures).ReturnsAsync((TaskName _, object? input, TaskOptions? _) => Plan(input));
        context.Setup(c => c.CallActivityAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns(Task.CompletedTask);
        // A timer that has fired: a department that has decided still wins, because its decision
        // is already complete and comes first in the race.
        context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        foreach (var department in new[] { "customs", "tax", "procurement" })
        {
            var decision = decided.Contains(department)
                ? Task.FromResult(new DepartmentDecision(DecisionVerdict.Approve, $"{department}-reviewer", null, DateTimeOffset.UnixEpoch))
                : new TaskCompletionSource<DepartmentDecision>().Task;
            context.Setup(c => c.WaitForExternalEvent<DepartmentDecision>(
                    ReviewNames.DecisionEventFor(department), It.IsAny<CancellationToken>()))
                .Returns(decision);
            context.Setup(c => c.WaitForExternalEvent<ImplementationReport>(
                    ReviewNames.ImplementedEventFor(department), It.IsAny<CancellationToken>()))
                .Returns(new TaskCompletionSource<ImplementationReport>().Task);
        }

        context.Setup(c => c.WaitForExternalEvent<RepairRequest>(ReviewNames.RepairRequestEvent, It.IsAny<CancellationToken>()))
            .Returns(new TaskCompletionSource<RepairRequest>().Task);
        return context;
    }

    private static IReadOnlyList<AppliedMeasure> Plan(object? input)
    {
        var apply = (ApplyMeasuresInput)input!;
        return MeasurePlanner.Plan(apply.Request, apply.Outcomes, Now);
    }

    private static void VerifyCalled(Mock<TaskOrchestrationContext> context, string activity, Times times) =>
        context.Verify(c => c.CallActivityAsync(activity, It.IsAny<object?>(), It.IsAny<TaskOptions?>()), times);

    private static void VerifyCalled<TInput>(
        Mock<TaskOrchestrationContext> context, string activity, Func<TInput, bool> match, Times times) =>

        context.Verify(c => c.CallActivityAsync(activity, It.Is<object?>(i => match((TInput)i!)), It.IsAny<TaskOptions?>()), times);

    private static ReviewRequest Request()
    {
        var memorandum = MemorandumCatalog.LoadEmbedded().Get("JP-DISHONEST-2016");
        return new ReviewRequest(
            "case-1", "U", "Enterprise", memorandum.Id, memorandum.Kind, CreditGrade.D, 40, [], memorandum.Departments,
            TimeSpan.FromMinutes(10), Now, Revision: ReviewRequest.CurrentRevision);
    }
}
