using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Reviews;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// The real orchestrator on a real Durable Task engine (the in-memory backend), with activities
/// recorded instead of writing to storage: real timers, real external events, real replay.
/// </summary>
public class JointReviewEngineTests
{
    [Fact]
    public async Task Review_TwoApproveOneLetsDeadlinePass_EscalatesItAndAppliesTheOthers()
    {
        var escalated = new ConcurrentBag<string>();
        var notified = new ConcurrentBag<string>();
        await using var host = await DurableTaskTestHost.StartAsync(registry =>
        {
            registry.AddOrchestrator<JointReviewOrchestrator>();
            registry.AddActivityFunc<ReviewRequest, bool>(nameof(OpenCaseActivity), (_, _) => true);
            registry.AddActivityFunc<DepartmentReviewInput, bool>(nameof(NotifyDepartmentActivity), (_, input) => { notified.Add(input.Department); return true; });
            registry.AddActivityFunc<DepartmentReviewInput, bool>(nameof(EscalateOverdueActivity), (_, input) => { escalated.Add(input.Department); return true; });
            registry.AddActivityFunc<ApplyMeasuresInput, IReadOnlyList<AppliedMeasure>>(nameof(ApplyMeasuresActivity), (_, input) =>
                MeasurePlanner.Plan(input.Request, input.Outcomes, new DateTimeOffset(input.DecidedAtUtc, TimeSpan.Zero)));
            registry.AddActivityFunc<CloseCaseInput, bool>(nameof(CloseCaseActivity), (_, _) => true);
        });

        var request = Request(TimeSpan.FromSeconds(6));
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(JointReviewOrchestrator), request, new StartOrchestrationOptions(request.CaseId));
        await host.Client.WaitForInstanceStartAsync(request.CaseId);
        foreach (var department in new[] { "customs", "tax" })
        {
            await host.Client.RaiseEventAsync(request.CaseId, ReviewNames.DecisionEventFor(department), new DepartmentDecision(DecisionVerdict.Approve, $"{department}-reviewer", "ok", DateTimeOffset.UtcNow));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var finished = await host.Client.WaitForInstanceCompletionAsync(request.CaseId, getInputsAndOutputs: true, timeout.Token);
        var outcome = finished.ReadOutputAs<ReviewOutcome>()!;

        Assert.Equal(OrchestrationRuntimeStatus.Completed, finished.RuntimeStatus);
        Assert.Equal(["customs", "procurement", "tax"], notified.Order(StringComparer.Ordinal));
        Assert.Equal(["procurement"], escalated);
        Assert.Equal(DepartmentOutcomeStatus.Overdue, outcome.Departments.Single(d => d.Department == "procurement").Status);
        Assert.Equal(["CUSTOMS-AEO-REFUSED", "TAX-GRADE-LOWERED"], outcome.Measures.Select(m => m.Code).Order(StringComparer.Ordinal));
    }

    private static ReviewRequest Request(TimeSpan window)
    {
        var memorandum = MemorandumCatalog.LoadEmbedded().Get("JP-DISHONEST-2016");
        return new ReviewRequest("engine-case", "U", "Enterprise", memorandum.Id, memorandum.Kind, CreditGrade.D, 40, [], memorandum.Departments, window, DateTimeOffset.UtcNow);
    }
}
