using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Reviews;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// Credit-repair rulings on the real orchestrator and the in-memory Durable engine: a ruling decides
/// only the request it names, so an early or stray ruling never lifts measures on its own.
/// </summary>
public class RepairRulingEngineTests
{
    [Fact]
    public async Task Review_RulingRaisedBeforeAnyRequest_IsDiscarded_AndTheRequestWaitsForItsOwn()
    {
        var calls = new ConcurrentQueue<(string Activity, string Detail)>();
        await using var host = await StartAsync(calls);
        var request = await OpenWithMeasuresAsync(host, calls, "repair-early", TimeSpan.FromSeconds(4));

        var early = Ruling(requestId: null, DecisionVerdict.Approve);
        await host.Client.RaiseEventAsync(request.CaseId, ReviewNames.RepairDecisionEvent, early);
        await host.Client.RaiseEventAsync(request.CaseId, ReviewNames.RepairRequestEvent, Request("r-1"));
        var outcome = await CompletedAsync(host, request);

        Assert.Contains((nameof(RecordRepairDecisionActivity), "r-1:none"), calls);
        Assert.DoesNotContain(calls, c => c.Detail.StartsWith("credit repaired", StringComparison.Ordinal));
        Assert.Contains((nameof(LiftMeasuresActivity), "expired:3"), calls);
        Assert.Equal(3, outcome.Measures.Count);
    }

    [Fact]
    public async Task Review_RulingNamingAnotherRequest_IsDiscarded_AndTheOneNamingThisRequestDecides()
    {
        var calls = new ConcurrentQueue<(string Activity, string Detail)>();
        await using var host = await StartAsync(calls);
        var request = await OpenWithMeasuresAsync(host, calls, "repair-named", TimeSpan.FromSeconds(10));

        await host.Client.RaiseEventAsync(request.CaseId, ReviewNames.RepairRequestEvent, Request("r-2"));
        await WaitForAsync(calls, nameof(RecordRepairRequestActivity));
        await host.Client.RaiseEventAsync(request.CaseId, ReviewNames.RepairDecisionEvent, Ruling("r-1", DecisionVerdict.Approve));
        await host.Client.RaiseEventAsync(request.CaseId, ReviewNames.RepairDecisionEvent, Ruling("r-2", DecisionVerdict.Reject));
        await CompletedAsync(host, request);

        Assert.Equal(["r-2:Reject"], calls.Where(c => c.Activity == nameof(RecordRepairDecisionActivity)).Select(c => c.Detail));
        Assert.DoesNotContain(calls, c => c.Detail.StartsWith("credit repaired", StringComparison.Ordinal));
        Assert.Contains((nameof(LiftMeasuresActivity), "expired:3"), calls);
    }

    [Fact]
    public async Task Review_RequestRaisedTwiceUnderOneId_IsHeardOnce()
    {
        var calls = new ConcurrentQueue<(string Activity, string Detail)>();
        await using var host = await StartAsync(calls);
        var request = await OpenWithMeasuresAsync(host, calls, "repair-twice", TimeSpan.FromSeconds(30));

        await host.Client.RaiseEventAsync(request.CaseId, ReviewNames.RepairRequestEvent, Request("r-1"));
        await host.Client.RaiseEventAsync(request.CaseId, ReviewNames.RepairRequestEvent, Request("r-1"));
        await WaitForAsync(calls, nameof(RecordRepairRequestActivity));
        await host.Client.RaiseEventAsync(request.CaseId, ReviewNames.RepairDecisionEvent, Ruling("r-1", DecisionVerdict.Reject));
        await host.Client.RaiseEventAsync(request.CaseId, ReviewNames.RepairRequestEvent, Request("r-2"));
        await WaitForAsync(calls, nameof(RecordRepairRequestActivity), count: 2);
        await host.Client.RaiseEventAsync(request.CaseId, ReviewNames.RepairDecisionEvent, Ruling("r-2", DecisionVerdict.Approve));
        await CompletedAsync(host, request);

        Assert.Equal(["r-1", "r-2"], calls.Where(c => c.Activity == nameof(RecordRepairRequestActivity)).Select(c => c.Detail));
        Assert.Equal(
            ["r-1:Reject", "r-2:Approve"], calls.Where(c => c.Activity == nameof(RecordRepairDecisionActivity)).Select(c => c.Detail));
    }

    [Fact]
    public async Task Review_RequestWithoutId_TakesARulingWithoutId_AsReviewsBeforeIdsDid()
    {
        var calls = new ConcurrentQueue<(string Activity, string Detail)>();
        await using var host = await StartAsync(calls);
        var request = await OpenWithMeasuresAsync(host, calls, "repair-legacy", TimeSpan.FromSeconds(30));

        await host.Client.RaiseEventAsync(request.CaseId, ReviewNames.RepairRequestEvent, Request(id: null));
        await WaitForAsync(calls, nameof(RecordRepairRequestActivity));
        var legacy = new DepartmentDecision(DecisionVerdict.Approve, "market-regulator-reviewer", null, DateTimeOffset.UtcNow);
        await host.Client.RaiseEventAsync(request.CaseId, ReviewNames.RepairDecisionEvent, legacy);
        await CompletedAsync(host, request);

        Assert.Contains((nameof(LiftMeasuresActivity), "credit repaired:3"), calls);
    }

    private static RepairRequest Request(string? id) => new("enterprise", "fines paid", DateTimeOffset.UtcNow, id);

    private static RepairRuling Ruling(string? requestId, DecisionVerdict verdict) =>
        new(requestId, verdict, "market-regulator-reviewer", "checked", DateTimeOffset.UtcNow);

    /// <summary>Opens a review whose three departments approve at once; returns when its measures are applied and announced.</summary>
    private static async Task<ReviewRequest> OpenWithMeasuresAsync(
        DurableTaskTestHost host, ConcurrentQueue<(string Activity, string Detail)> calls, string caseId, TimeSpan repairWindow)
    {
        var memorandum = MemorandumCatalog.LoadEmbedded().Get("JP-DISHONEST-2016");
        var timings = new ReviewTimings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(repairWindow.TotalSeconds + 20), 2);
        var request = new ReviewRequest(
            caseId, "U", "Enterprise", memorandum.Id, memorandum.Kind, CreditGrade.D, 40, [], memorandum.Departments, repairWindow,
            DateTimeOffset.UtcNow, null, timings, Revision: ReviewRequest.CurrentRevision);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(JointReviewOrchestrator), request, new StartOrchestrationOptions(caseId));
        foreach (var department in new[] { "customs", "tax", "procurement" })
        {
            var instance = ReviewNames.DepartmentReviewInstanceFor(caseId, department);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await host.Client.WaitForInstanceStartAsync(instance, timeout.Token);
            var decision = new DepartmentDecision(DecisionVerdict.Approve, $"{department}-reviewer", null, DateTimeOffset.UtcNow);
            await host.Client.RaiseEventAsync(instance, ReviewNames.DecisionEventFor(department), decision);
        }

        await WaitForAsync(calls, nameof(NotifyEnterpriseActivity));
        return request;
    }

    private static Task<DurableTaskTestHost> StartAsync(ConcurrentQueue<(string Activity, string Detail)> calls) =>
        DurableTestHosts.StartAsync(registry => Register(registry, calls));

    private static void Register(DurableTaskRegistry registry, ConcurrentQueue<(string Activity, string Detail)> calls)
    {
        registry.AddOrchestrator<JointReviewOrchestrator>();
        registry.AddOrchestrator<DepartmentReviewOrchestrator>();
        void Record<TInput>(string name, Func<TInput, string> detail) =>
            registry.AddActivityFunc<TInput, bool>(name, (_, input) => { calls.Enqueue((name, detail(input))); return true; });
        Record<ReviewRequest>(nameof(OpenCaseActivity), r => r.CaseId);
        registry.AddActivityFunc<DepartmentReviewInput, DepartmentDecision?>(
            nameof(NotifyDepartmentActivity), (_, _) => (DepartmentDecision?)null);
        string[] reminders = [nameof(RemindDepartmentActivity), nameof(EscalateToSupervisorActivity), nameof(EscalateOverdueActivity)];
        foreach (var name in reminders)
        {
            Record<DepartmentReviewInput>(name, i => i.Department);
        }

        Record<ImplementationInput>(nameof(RecordImplementationActivity), i => i.Department);
        Record<EnterpriseNoticeInput>(nameof(NotifyEnterpriseActivity), i => i.Request.Uscc);
        Record<LiftMeasuresInput>(nameof(LiftMeasuresActivity), i => $"{i.Reason}:{i.Measures.Count}");
        Record<RepairRequestInput>(nameof(RecordRepairRequestActivity), i => i.Repair.Id ?? "none");
        Record<RepairDecisionInput>(
            nameof(RecordRepairDecisionActivity), i => $"{i.Repair.Id ?? "none"}:{i.Decision?.Verdict.ToString() ?? "none"}");
        Record<CloseCaseInput>(nameof(CloseCaseActivity), i => i.Request.CaseId);
        registry.AddActivityFunc<ApplyMeasuresInput, IReadOnlyList<AppliedMeasure>>(nameof(ApplyMeasuresActivity), (_, input) =>
            MeasurePlanner.Plan(input.Request, input.Outcomes, new DateTimeOffset(input.DecidedAtUtc, TimeSpan.Zero)));
    }

    private static async Task<ReviewOutcome> CompletedAsync(DurableTaskTestHost host, ReviewRequest request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var finished = await host.Client.WaitForInstanceCompletionAsync(request.CaseId, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, finished.RuntimeStatus);
        return finished.ReadOutputAs<ReviewOutcome>()!;
    }

    private static async Task WaitForAsync(ConcurrentQueue<(string Activity, string Detail)> calls, string activity, int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (calls.Count(c => c.Activity == activity) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{activity} never ran {count} time(s)");
            await Task.Delay(100);
        }
    }
}
