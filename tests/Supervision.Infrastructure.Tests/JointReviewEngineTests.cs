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
    private static readonly string[] DeadlineStages =
        [nameof(RemindDepartmentActivity), nameof(EscalateToSupervisorActivity), nameof(EscalateOverdueActivity)];


    [Fact]
    public async Task Review_SilentDepartment_IsRemindedEscalatedAndOverdue_OthersMeasuresAreAppliedReportedAndLiftedAtExpiry()
    {
        var calls = new ConcurrentQueue<(string Activity, string Detail)>();
        await using var host = await StartAsync(calls);
        var request = Request("engine-deadline", Seconds(6), new ReviewTimings(Seconds(3), Seconds(2), 2));

        await ScheduleAsync(host, request);
        await host.Client.WaitForInstanceStartAsync(request.CaseId);
        foreach (var department in new[] { "customs", "tax" })
        {
            await DecideAsync(host, request, department, Decision(DecisionVerdict.Approve, $"{department}-reviewer", "ok"));
        }

        await WaitForAsync(calls, nameof(ApplyMeasuresActivity));
        await host.Client.RaiseEventAsync(
            request.CaseId, ReviewNames.ImplementedEventFor("customs"),
            new ImplementationReport("customs", "customs-reviewer", "AEO status withdrawn", DateTimeOffset.UtcNow));
        var outcome = await CompletedAsync(host, request);

        Assert.Equal(DepartmentOutcomeStatus.Overdue, outcome.Departments.Single(d => d.Department == "procurement").Status);
        Assert.Equal(["CUSTOMS-AEO-REFUSED", "TAX-GRADE-LOWERED"], outcome.Measures.Select(m => m.Code).Order(StringComparer.Ordinal));
        foreach (var activity in DeadlineStages)
        {
            Assert.Equal(["procurement"], Details(calls, activity));
        }

        Assert.Contains((nameof(RecordImplementationActivity), "customs:reported"), calls);
        Assert.Contains((nameof(RecordImplementationActivity), "tax:overdue"), calls);
        Assert.Contains((nameof(LiftMeasuresActivity), "expired:CUSTOMS-AEO-REFUSED,TAX-GRADE-LOWERED"), calls);
        Assert.Equal(nameof(CloseCaseActivity), calls.Last().Activity);
    }

    [Fact]
    public async Task Review_RequestForInformation_RestartsTheWindowAndTheLaterDecisionCounts()
    {
        var calls = new ConcurrentQueue<(string Activity, string Detail)>();
        await using var host = await StartAsync(calls);
        var request = Request("engine-information", Seconds(8), new ReviewTimings(Seconds(1), Seconds(1), 2));

        await ScheduleAsync(host, request);
        await host.Client.WaitForInstanceStartAsync(request.CaseId);
        var askForRecords = Decision(DecisionVerdict.RequestInformation, "customs-reviewer", "send the seizure records");
        await DecideAsync(host, request, "customs", askForRecords);
        await WaitForAsync(calls, nameof(RecordInformationRequestActivity));
        await DecideEveryDepartmentAsync(host, request, rejecting: "tax");

        var outcome = await CompletedAsync(host, request);

        Assert.Equal(DepartmentOutcomeStatus.Approved, outcome.Departments.Single(d => d.Department == "customs").Status);
        Assert.Equal(DepartmentOutcomeStatus.Rejected, outcome.Departments.Single(d => d.Department == "tax").Status);
        Assert.Equal(["CUSTOMS-AEO-REFUSED", "PROCUREMENT-BARRED"], outcome.Measures.Select(m => m.Code).Order(StringComparer.Ordinal));
        Assert.Equal(["customs:1:restarted"], Details(calls, nameof(RecordInformationRequestActivity)));
        Assert.DoesNotContain(calls, c => c.Activity == nameof(EscalateOverdueActivity));
    }

    [Fact]
    public async Task Review_ApprovedCreditRepair_LiftsTheMeasuresBeforeTheyEnd()
    {
        var calls = new ConcurrentQueue<(string Activity, string Detail)>();
        await using var host = await StartAsync(calls);
        var request = Request("engine-repair", Seconds(30), new ReviewTimings(Seconds(1), TimeSpan.FromHours(1), 2));

        await ScheduleAsync(host, request);
        await host.Client.WaitForInstanceStartAsync(request.CaseId);
        await DecideEveryDepartmentAsync(host, request);

        await WaitForAsync(calls, nameof(NotifyEnterpriseActivity));
        await host.Client.RaiseEventAsync(
            request.CaseId, ReviewNames.RepairRequestEvent,
            new RepairRequest("enterprise", "fines paid, recall completed", DateTimeOffset.UtcNow));
        await WaitForAsync(calls, nameof(RecordRepairRequestActivity));
        await host.Client.RaiseEventAsync(
            request.CaseId, ReviewNames.RepairDecisionEvent,
            Decision(DecisionVerdict.Approve, "market-regulator-reviewer", "evidence checked"));
        await CompletedAsync(host, request);

        Assert.Contains((nameof(LiftMeasuresActivity), "credit repaired:CUSTOMS-AEO-REFUSED,PROCUREMENT-BARRED,TAX-GRADE-LOWERED"), calls);
        Assert.DoesNotContain(Details(calls, nameof(LiftMeasuresActivity)), d => d.StartsWith("expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Review_Objection_ReopensTheReview_ARejectionWithdrawsAndSilenceLeavesWhatWasDecided()
    {
        var calls = new ConcurrentQueue<(string Activity, string Detail)>();
        await using var host = await StartAsync(calls);
        var request = Request("engine-objection", Seconds(6), new ReviewTimings(Seconds(1), Seconds(25), 2, Seconds(15)));

        await ScheduleAsync(host, request);
        await host.Client.WaitForInstanceStartAsync(request.CaseId);
        await DecideEveryDepartmentAsync(host, request);

        await WaitForAsync(calls, nameof(NotifyEnterpriseActivity));
        await host.Client.RaiseEventAsync(
            request.CaseId, ReviewNames.ObjectionEvent,
            new Objection("enterprise", "the seized goods belonged to a supplier", DateTimeOffset.UtcNow));
        await WaitForAsync(calls, nameof(ReopenOnObjectionActivity));

        // A late round-1 decision must not be taken for a round-2 one.
        await DecideAsync(host, request, "customs", Decision(DecisionVerdict.Approve, "customs-reviewer", "repeat"));
        await DecideAsync(host, request, "customs", Decision(DecisionVerdict.Reject, "customs-reviewer", "objection upheld"), 2);
        await DecideAsync(host, request, "tax", Decision(DecisionVerdict.Approve, "tax-reviewer", "measure stands"), 2);
        var outcome = await CompletedAsync(host, request);

        Assert.Equal(
            ["customs-r2", "procurement-r2", "tax-r2"],
            Details(calls, nameof(NotifyDepartmentActivity))
                .Where(d => d.EndsWith("-r2", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Contains((nameof(EscalateOverdueActivity), "procurement-r2"), calls);
        Assert.Contains((nameof(LiftMeasuresActivity), "withdrawn on review of the enterprise's objection:CUSTOMS-AEO-REFUSED"), calls);
        Assert.Contains((nameof(ConcludeObjectionActivity), "PROCUREMENT-BARRED,TAX-GRADE-LOWERED"), calls);
        Assert.Contains((nameof(LiftMeasuresActivity), "expired:PROCUREMENT-BARRED,TAX-GRADE-LOWERED"), calls);
        Assert.Equal(["PROCUREMENT-BARRED", "TAX-GRADE-LOWERED"], outcome.Measures.Select(m => m.Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Review_NoObjectionInTheWindow_GoesOnToExpiryUnchanged()
    {
        var calls = new ConcurrentQueue<(string Activity, string Detail)>();
        await using var host = await StartAsync(calls);
        var request = Request("engine-no-objection", Seconds(6), new ReviewTimings(Seconds(1), Seconds(4), 2, Seconds(2)));

        await ScheduleAsync(host, request);
        await host.Client.WaitForInstanceStartAsync(request.CaseId);
        await DecideAsync(host, request, "tax", Decision(DecisionVerdict.Approve, "tax-reviewer"));
        await DecideAsync(host, request, "customs", Decision(DecisionVerdict.Reject, "customs-reviewer"));
        await DecideAsync(host, request, "procurement", Decision(DecisionVerdict.Reject, "procurement-reviewer"));
        var outcome = await CompletedAsync(host, request);

        Assert.DoesNotContain(calls, c => c.Activity is nameof(ReopenOnObjectionActivity) or nameof(ConcludeObjectionActivity));
        Assert.Contains((nameof(LiftMeasuresActivity), "expired:TAX-GRADE-LOWERED"), calls);
        Assert.Equal(["TAX-GRADE-LOWERED"], outcome.Measures.Select(m => m.Code));
    }

    [Fact]
    public async Task Review_EachDepartment_IsItsOwnSubOrchestration_WhoseOutcomeTheCaseAggregates()
    {
        var calls = new ConcurrentQueue<(string Activity, string Detail)>();
        await using var host = await StartAsync(calls);
        var request = Request("engine-children", Seconds(30), new ReviewTimings(Seconds(1), Seconds(1), 2));

        await ScheduleAsync(host, request);
        await DecideEveryDepartmentAsync(host, request, rejecting: "tax");

        var outcome = await CompletedAsync(host, request);

        foreach (var department in new[] { "customs", "tax", "procurement" })
        {
            var instance = ReviewNames.DepartmentReviewInstanceFor(request.CaseId, department);
            var child = await host.Client.GetInstanceAsync(instance, getInputsAndOutputs: true);
            Assert.NotNull(child);
            Assert.Equal(nameof(DepartmentReviewOrchestrator), child.Name);
            Assert.Equal(OrchestrationRuntimeStatus.Completed, child.RuntimeStatus);
            Assert.Equal(outcome.Departments.Single(d => d.Department == department), child.ReadOutputAs<DepartmentOutcome>());
        }

        Assert.Equal(["CUSTOMS-AEO-REFUSED", "PROCUREMENT-BARRED"], outcome.Measures.Select(m => m.Code).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Review_DecisionRecordedBeforeTheDepartmentsReviewStarted_IsTakenWithoutAReminderOrAnEvent()
    {
        var calls = new ConcurrentQueue<(string Activity, string Detail)>();
        await using var host = await StartAsync(
            calls, input => Decision(DecisionVerdict.Approve, $"{input.Department}-reviewer", "decided before the review reached us"));
        var request = Request("engine-standing", Seconds(4), new ReviewTimings(Seconds(1), Seconds(1), 2));

        await ScheduleAsync(host, request);
        var outcome = await CompletedAsync(host, request);

        Assert.All(outcome.Departments, d => Assert.Equal(DepartmentOutcomeStatus.Approved, d.Status));
        Assert.DoesNotContain(calls, c => DeadlineStages.Contains(c.Activity));
        Assert.Equal(3, outcome.Measures.Count);
    }

    [Fact]
    public async Task Review_OpenedAtRevision1_StillReviewsItsDepartmentsInline()
    {
        var calls = new ConcurrentQueue<(string Activity, string Detail)>();
        await using var host = await StartAsync(calls);
        var request = Request("engine-revision-1", Seconds(30), new ReviewTimings(Seconds(1), Seconds(1), 2), revision: 1);

        await ScheduleAsync(host, request);
        await DecideEveryDepartmentAsync(host, request);

        var outcome = await CompletedAsync(host, request);

        Assert.Equal(3, outcome.Measures.Count);
        Assert.Null(await host.Client.GetInstanceAsync(ReviewNames.DepartmentReviewInstanceFor(request.CaseId, "customs")));
    }

    /// <summary>
    /// Raises a department's decision where the API would: to the department's own review
    /// instance, once it has started (to the case's instance for reviews of revision 1).
    /// </summary>
    private static async Task DecideAsync(
        DurableTaskTestHost host, ReviewRequest request, string department, DepartmentDecision decision, int round = 1)
    {
        var instance = request.Revision >= ReviewRequest.CurrentRevision
            ? ReviewNames.DepartmentReviewInstanceFor(request.CaseId, department, round)
            : request.CaseId;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await host.Client.WaitForInstanceStartAsync(instance, timeout.Token);
        await host.Client.RaiseEventAsync(instance, ReviewNames.DecisionEventFor(department, round), decision);
    }

    /// <summary>Customs, tax and procurement decide in turn: each approves, but <paramref name="rejecting"/> rejects.</summary>
    private static async Task DecideEveryDepartmentAsync(DurableTaskTestHost host, ReviewRequest request, string? rejecting = null)
    {
        foreach (var department in new[] { "customs", "tax", "procurement" })
        {
            var verdict = department == rejecting ? DecisionVerdict.Reject : DecisionVerdict.Approve;
            await DecideAsync(host, request, department, Decision(verdict, $"{department}-reviewer"));
        }
    }

    /// <param name="standing">What the notification finds already decided (by default nothing).</param>
    private static Task<DurableTaskTestHost> StartAsync(
        ConcurrentQueue<(string Activity, string Detail)> calls, Func<DepartmentReviewInput, DepartmentDecision?>? standing = null) =>
        DurableTestHosts.StartAsync(registry => Register(registry, calls, standing));

    /// <summary>The real orchestrators, and each activity recorded in <paramref name="calls"/> with a detail to assert on.</summary>
    private static void Register(
        DurableTaskRegistry registry,
        ConcurrentQueue<(string Activity, string Detail)> calls,
        Func<DepartmentReviewInput, DepartmentDecision?>? standing)
    {
        registry.AddOrchestrator<JointReviewOrchestrator>();
        registry.AddOrchestrator<DepartmentReviewOrchestrator>();
        void Record<TInput>(string name, Func<TInput, string> detail) =>
            registry.AddActivityFunc<TInput, bool>(name, (_, input) => { calls.Enqueue((name, detail(input))); return true; });
        Record<ReviewRequest>(nameof(OpenCaseActivity), r => r.CaseId);
        registry.AddActivityFunc<DepartmentReviewInput, DepartmentDecision?>(nameof(NotifyDepartmentActivity), (_, input) =>
        {
            calls.Enqueue((nameof(NotifyDepartmentActivity), input.Department + input.RoundSuffix));
            return standing?.Invoke(input);
        });
        Record<DepartmentReviewInput>(nameof(RemindDepartmentActivity), i => i.Department + i.RoundSuffix);
        Record<DepartmentReviewInput>(nameof(EscalateToSupervisorActivity), i => i.Department + i.RoundSuffix);
        Record<DepartmentReviewInput>(nameof(EscalateOverdueActivity), i => i.Department + i.RoundSuffix);
        Record<InformationRequestInput>(
            nameof(RecordInformationRequestActivity),
            i => $"{i.Review.Department}:{i.Count}:{(i.WindowRestarted ? "restarted" : "stands")}");
        Record<ImplementationInput>(
            nameof(RecordImplementationActivity), i => $"{i.Department}:{(i.Report is null ? "overdue" : "reported")}");
        Record<EnterpriseNoticeInput>(nameof(NotifyEnterpriseActivity), i => i.Request.Uscc);
        Record<LiftMeasuresInput>(nameof(LiftMeasuresActivity), i => $"{i.Reason}:{Codes(i.Measures)}");
        Record<RepairRequestInput>(nameof(RecordRepairRequestActivity), i => i.Repair.Reason);
        Record<RepairDecisionInput>(nameof(RecordRepairDecisionActivity), i => i.Decision?.Verdict.ToString() ?? "none");
        Record<ObjectionInput>(nameof(ReopenOnObjectionActivity), i => i.Objection.Reason);
        Record<ObjectionOutcomeInput>(nameof(ConcludeObjectionActivity), i => Codes(i.Standing));
        Record<CloseCaseInput>(nameof(CloseCaseActivity), i => i.Request.CaseId);
        registry.AddActivityFunc<ApplyMeasuresInput, IReadOnlyList<AppliedMeasure>>(nameof(ApplyMeasuresActivity), (_, input) =>
        {
            calls.Enqueue((nameof(ApplyMeasuresActivity), input.Request.CaseId));
            return MeasurePlanner.Plan(input.Request, input.Outcomes, new DateTimeOffset(input.DecidedAtUtc, TimeSpan.Zero));
        });
    }

    private static Task<string> ScheduleAsync(DurableTaskTestHost host, ReviewRequest request) =>
        host.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(JointReviewOrchestrator), request, new StartOrchestrationOptions(request.CaseId));

    private static DepartmentDecision Decision(DecisionVerdict verdict, string decidedBy, string? comment = null) =>
        new(verdict, decidedBy, comment, DateTimeOffset.UtcNow);

    private static IEnumerable<string> Details(ConcurrentQueue<(string Activity, string Detail)> calls, string activity) =>
        calls.Where(c => c.Activity == activity).Select(c => c.Detail);

    private static string Codes(IEnumerable<AppliedMeasure> measures) =>
        string.Join(',', measures.Select(m => m.Code).Order(StringComparer.Ordinal));


    private static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(seconds);


    private static async Task<ReviewOutcome> CompletedAsync(DurableTaskTestHost host, ReviewRequest request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var finished = await host.Client.WaitForInstanceCompletionAsync(request.CaseId, getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, finished.RuntimeStatus);
        return finished.ReadOutputAs<ReviewOutcome>()!;
    }

    private static async Task WaitForAsync(ConcurrentQueue<(string Activity, string Detail)> calls, string activity)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!calls.Any(c => c.Activity == activity))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{activity} never ran");
            await Task.Delay(100);
        }
    }

    private static ReviewRequest Request(
        string caseId, TimeSpan window, ReviewTimings timings, int revision = ReviewRequest.CurrentRevision)
    {
        var memorandum = MemorandumCatalog.LoadEmbedded().Get("JP-DISHONEST-2016");
        return new ReviewRequest(
            caseId, "U", "Enterprise", memorandum.Id, memorandum.Kind, CreditGrade.D, 40, [], memorandum.Departments, window,
            DateTimeOffset.UtcNow, null, timings, Revision: revision);
    }
}
