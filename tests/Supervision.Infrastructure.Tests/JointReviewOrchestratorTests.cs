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

    [Fact]
    public async Task RunAsync_AllDepartmentsApprove_AppliesEveryMeasureAndClosesTheCase()
    {
        var context = Context(decided: ["customs", "tax", "procurement"]);
        ApplyMeasuresInput? applied = null;
        context.Setup(c => c.CallActivityAsync<IReadOnlyList<AppliedMeasure>>(nameof(ApplyMeasuresActivity), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((_, input, _) => applied = (ApplyMeasuresInput)input!)
            .ReturnsAsync((TaskName _, object? input, TaskOptions? _) => MeasurePlanner.Plan(((ApplyMeasuresInput)input!).Request, ((ApplyMeasuresInput)input!).Outcomes, Now));

        var outcome = await new JointReviewOrchestrator().RunAsync(context.Object, Request());

        Assert.NotNull(applied);
        Assert.All(outcome.Departments, d => Assert.Equal(DepartmentOutcomeStatus.Approved, d.Status));
        Assert.Equal(3, outcome.Measures.Count);
        context.Verify(c => c.CallActivityAsync(nameof(EscalateOverdueActivity), It.IsAny<object?>(), It.IsAny<TaskOptions?>()), Times.Never);
        context.Verify(c => c.CallActivityAsync(nameof(CloseCaseActivity), It.IsAny<object?>(), It.IsAny<TaskOptions?>()), Times.Once);
    }

    [Fact]
    public async Task RunAsync_DepartmentMissesDeadline_IsEscalatedAndImposesNothing()
    {
        var context = Context(decided: ["customs", "tax"]);
        context.Setup(c => c.CallActivityAsync<IReadOnlyList<AppliedMeasure>>(nameof(ApplyMeasuresActivity), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ReturnsAsync((TaskName _, object? input, TaskOptions? _) => MeasurePlanner.Plan(((ApplyMeasuresInput)input!).Request, ((ApplyMeasuresInput)input!).Outcomes, Now));

        var outcome = await new JointReviewOrchestrator().RunAsync(context.Object, Request());

        Assert.Equal(DepartmentOutcomeStatus.Overdue, outcome.Departments.Single(d => d.Department == "procurement").Status);
        Assert.DoesNotContain(outcome.Measures, m => m.Department == "procurement");
        Assert.Equal(2, outcome.Measures.Count);
        context.Verify(
            c => c.CallActivityAsync(nameof(EscalateOverdueActivity), It.Is<object?>(i => ((DepartmentReviewInput)i!).Department == "procurement"), It.IsAny<TaskOptions?>()),
            Times.Once);
    }

    [Fact]
    public async Task RunAsync_Deadline_IsTheDecisionWindowFromOrchestrationTime()
    {
        var context = Context(decided: ["customs", "tax", "procurement"]);
        context.Setup(c => c.CallActivityAsync<IReadOnlyList<AppliedMeasure>>(nameof(ApplyMeasuresActivity), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ReturnsAsync([]);

        await new JointReviewOrchestrator().RunAsync(context.Object, Request());

        context.Verify(c => c.CreateTimer(Now.AddMinutes(10), It.IsAny<CancellationToken>()), Times.Exactly(3));
    }

    private static Mock<TaskOrchestrationContext> Context(string[] decided)
    {
        var context = new Mock<TaskOrchestrationContext>(MockBehavior.Loose);
        context.SetupGet(c => c.CurrentUtcDateTime).Returns(Now);
        context.Setup(c => c.CallActivityAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>())).Returns(Task.CompletedTask);
        // A timer that has fired: a department that has decided still wins, because its decision
        // is already complete and comes first in the race.
        context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        foreach (var department in new[] { "customs", "tax", "procurement" })
        {
            var decision = decided.Contains(department)
                ? Task.FromResult(new DepartmentDecision(DecisionVerdict.Approve, $"{department}-reviewer", null, DateTimeOffset.UnixEpoch))
                : new TaskCompletionSource<DepartmentDecision>().Task;
            context.Setup(c => c.WaitForExternalEvent<DepartmentDecision>(ReviewNames.DecisionEventFor(department), It.IsAny<CancellationToken>())).Returns(decision);
        }

        return context;
    }

    private static ReviewRequest Request()
    {
        var memorandum = MemorandumCatalog.LoadEmbedded().Get("JP-DISHONEST-2016");
        return new ReviewRequest("case-1", "U", "Enterprise", memorandum.Id, memorandum.Kind, CreditGrade.D, 40, [], memorandum.Departments, TimeSpan.FromMinutes(10), Now);
    }
}
