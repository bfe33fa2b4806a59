using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Supervision.Domain.Audit;
using Supervision.Domain.Paging;
using Supervision.Domain.Portraits;
using Supervision.Domain.Problems;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Reviews;

namespace Supervision.Infrastructure.Tests;

/// <summary>The decision desk's rules, on in-memory cases, audit and events: no Azurite, no Durable engine.</summary>
public class DecisionDeskTests
{
    private const string CaseId = "JP-DISHONEST-2016-91330100D3M0000018";
    private const string Uscc = "91330100D3M0000018";
    private static readonly Caller Customs = Caller.StaffOf("customs-reviewer", "customs");
    private static readonly Caller Regulator = Caller.StaffOf("market-regulator-reviewer", ReviewNames.RepairDepartment);
    private static readonly Caller Enterprise = Caller.EnterpriseOf("huaxia", Uscc);

    private readonly InMemoryCaseBook cases = new();
    private readonly InMemoryAuditTrail audit = new();
    private readonly InMemoryReviewEvents events = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly DecisionDesk desk;

    public DecisionDeskTests()
    {
        desk = new DecisionDesk(cases, audit, time, NullLogger<DecisionDesk>.Instance);
    }

    [Theory]
    [InlineData("approve", DecisionVerdict.Approve)]
    [InlineData("reject", DecisionVerdict.Reject)]
    [InlineData("Approve", DecisionVerdict.Approve)]
    public async Task Decide_NamedFinalVerdict_IsStoredAuditedAndRaised(string name, DecisionVerdict verdict)
    {
        OpenPendingCase();

        var outcome = await desk.DecideAsync(Customs, CaseId, "customs", Body(name, "checked"), events, default);

        Assert.Equal(DeskOutcomeKind.Accepted, outcome.Kind);
        Assert.Equal(verdict, Assert.Single(cases.Decisions).Verdict);
        Assert.Contains(audit.Entries, e => e.Action == "decision" && e.Detail.StartsWith($"customs: {verdict}", StringComparison.Ordinal));
        var raised = Assert.Single(events.Raised);
        Assert.Equal(ReviewNames.DepartmentReviewInstanceFor(CaseId, "customs"), raised.InstanceId);
        Assert.Equal(ReviewNames.DecisionEventFor("customs"), raised.EventName);
        Assert.Equal(verdict, ((DepartmentDecision)raised.Payload).Verdict);
    }

    [Theory]
    [InlineData("request-information")]
    [InlineData("requestInformation")] // the spelling the README and older clients use
    public async Task Decide_RequestForInformation_EitherSpelling_IsRaisedAndNothingIsStored(string name)
    {
        OpenPendingCase();

        var outcome = await desk.DecideAsync(Customs, CaseId, "customs", Body(name, "send the seizure records"), events, default);

        Assert.Equal(DeskOutcomeKind.Accepted, outcome.Kind);
        Assert.Empty(cases.Decisions);
        Assert.Equal(DecisionVerdict.RequestInformation, ((DepartmentDecision)Assert.Single(events.Raised).Payload).Verdict);
        Assert.Contains(audit.Entries, e => e.Action == "information-request-received");
    }

    [Theory]
    [InlineData("""{"verdict":7}""")]
    [InlineData("""{"verdict":0}""")]
    [InlineData("""{"verdict":1,"comment":"one"}""")]
    [InlineData("""{"verdict":"maybe"}""")]
    [InlineData("""{"verdict":"7"}""")]
    [InlineData("""{"verdict":"RequestInformation "}""")]
    [InlineData("""{"verdict":true}""")]
    [InlineData("""{"verdict":null}""")]
    [InlineData("""{"comment":"no verdict"}""")]
    [InlineData("""{}""")]
    [InlineData("""["approve"]""")]
    [InlineData("""{"verdict":"approve","comment":5}""")]
    [InlineData("""not json""")]
    [InlineData("")]
    public async Task Decide_NoNamedVerdict_IsInvalidWithTheReason_AndNothingIsStoredAuditedOrRaised(string body)
    {
        OpenPendingCase();

        var outcome = await desk.DecideAsync(Customs, CaseId, "customs", body, events, default);

        Assert.Equal(DeskOutcomeKind.Invalid, outcome.Kind);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Reason));
        Assert.Empty(cases.Decisions);
        Assert.Empty(audit.Entries);
        Assert.Empty(events.Raised);
    }

    [Fact]
    public async Task Decide_NumberForAVerdict_SaysVerdictsAreNamed()
    {
        OpenPendingCase();

        var outcome = await desk.DecideAsync(Customs, CaseId, "customs", """{"verdict":7}""", events, default);

        Assert.Contains("\"approve\", \"reject\" or \"request-information\"", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("7", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_IdenticalReplay_IsRepeated_AndRaisedAgainWithTheStandingDecision()
    {
        OpenPendingCase();
        await desk.DecideAsync(Customs, CaseId, "customs", Body("approve", "checked"), events, default);

        var replay = await desk.DecideAsync(Customs, CaseId, "customs", Body("approve", "checked"), events, default);

        Assert.Equal(DeskOutcomeKind.Repeated, replay.Kind);
        Assert.Single(cases.Decisions);
        Assert.Single(audit.Entries, e => e.Action == "decision");
        Assert.Equal(2, events.Raised.Count);
    }

    [Theory]
    [InlineData("approve", "another comment")]
    [InlineData("approve", null)]
    [InlineData("reject", "checked")]
    public async Task Decide_ReplayWithAnotherVerdictOrComment_IsConflictNamingTheStandingDecision(string verdict, string? comment)
    {
        OpenPendingCase();
        await desk.DecideAsync(Customs, CaseId, "customs", Body("approve", "checked"), events, default);

        var replay = await desk.DecideAsync(Customs, CaseId, "customs", Body(verdict, comment), events, default);

        Assert.Equal(DeskOutcomeKind.Conflict, replay.Kind);
        Assert.Contains("customs-reviewer already decided 'Approve'", replay.Reason, StringComparison.Ordinal);
        Assert.Contains("\"checked\"", replay.Reason, StringComparison.Ordinal);
        Assert.Equal("checked", Assert.Single(cases.Decisions).Comment);
        Assert.Single(events.Raised);
    }

    [Fact]
    public async Task Decide_Approval_ShowsInTheDepartmentsProgress_AndARepeatChangesNothing()
    {
        OpenPendingCase();
        await desk.DecideAsync(Customs, CaseId, "customs", Body("approve", "checked"), events, default);
        var first = ReviewProgress.Current((await cases.GetAsync(CaseId, default))!, "customs");

        await desk.DecideAsync(Customs, CaseId, "customs", Body("approve", "checked"), events, default);

        Assert.Equal(DepartmentReviewStatus.Approved, first?.Status);
        Assert.Equal(first, ReviewProgress.Current((await cases.GetAsync(CaseId, default))!, "customs"));
    }

    [Fact]
    public async Task Decide_SameDecisionByAnotherPerson_IsConflict()
    {
        OpenPendingCase();
        await desk.DecideAsync(Customs, CaseId, "customs", Body("approve", "checked"), events, default);

        var supervisor = Caller.StaffOf("customs-supervisor", "customs", Roles.Supervisor);
        var other = await desk.DecideAsync(supervisor, CaseId, "customs", Body("approve", "checked"), events, default);

        Assert.Equal(DeskOutcomeKind.Conflict, other.Kind);
    }

    [Fact]
    public async Task Decide_ApprovalAfterARequestForInformation_IsANewDecision()
    {
        OpenPendingCase();
        await desk.DecideAsync(Customs, CaseId, "customs", Body("request-information", "send the records"), events, default);

        var decision = await desk.DecideAsync(Customs, CaseId, "customs", Body("approve", "records received"), events, default);

        Assert.Equal(DeskOutcomeKind.Accepted, decision.Kind);
        Assert.Equal(DecisionVerdict.Approve, Assert.Single(cases.Decisions).Verdict);
    }

    [Fact]
    public async Task Decide_RequestForInformationAfterAFinalDecision_IsConflict()
    {
        OpenPendingCase();
        await desk.DecideAsync(Customs, CaseId, "customs", Body("reject", "no grounds"), events, default);

        var late = await desk.DecideAsync(Customs, CaseId, "customs", Body("request-information", "more please"), events, default);

        Assert.Equal(DeskOutcomeKind.Conflict, late.Kind);
        Assert.Contains("'Reject'", late.Reason, StringComparison.Ordinal);
        Assert.Single(events.Raised);
    }

    [Fact]
    public async Task Decide_SameRequestForInformationTwice_IsRepeated_AndCountedOnce()
    {
        OpenPendingCase();
        await desk.DecideAsync(Customs, CaseId, "customs", Body("request-information", "send the records"), events, default);

        var again = await desk.DecideAsync(Customs, CaseId, "customs", Body("request-information", "send the records"), events, default);

        Assert.Equal(DeskOutcomeKind.Repeated, again.Kind);
        Assert.Single(events.Raised);
    }

    [Fact]
    public async Task Decide_AfterTheDepartmentWasRecordedOverdue_IsConflict_AndNotAudited()
    {
        OpenPendingCase();
        await audit.AppendAsync(Entry("department-overdue", "system"), ReviewNames.OverdueKeyFor("customs"), default);

        var late = await desk.DecideAsync(Customs, CaseId, "customs", Body("approve", "late"), events, default);

        Assert.Equal(DeskOutcomeKind.Conflict, late.Kind);
        Assert.Equal(ProblemKinds.DeadlinePassed, late.Problem);
        Assert.DoesNotContain(audit.Entries, e => e.Action == "decision");
        Assert.Empty(events.Raised);
    }

    [Fact]
    public async Task Decide_BeforeTheReviewStarted_IsConflict()
    {
        cases.Save(Case(CaseStatus.Pending));

        var early = await desk.DecideAsync(Customs, CaseId, "customs", Body("approve", null), events, default);

        Assert.Equal((ProblemKinds.ReviewNotOpen, DeskOutcomeKind.Conflict), (early.Problem, early.Kind));
    }

    [Fact]
    public async Task Decide_AfterTheReviewEnded_IsConflict()
    {
        OpenPendingCase();
        events.End(CaseId);

        var closed = await desk.DecideAsync(Customs, CaseId, "customs", Body("approve", null), events, default);

        Assert.Equal((ProblemKinds.ReviewClosed, DeskOutcomeKind.Conflict), (closed.Problem, closed.Kind));
        Assert.Contains("Completed", closed.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-such-case", "customs")]
    [InlineData(CaseId, "inspection-quarantine")]
    public async Task Decide_UnknownCaseOrDepartment_IsNotFound(string caseId, string department)
    {
        OpenPendingCase();

        var caller = Caller.StaffOf("customs-reviewer", department);
        var outcome = await desk.DecideAsync(caller, caseId, department, Body("approve", null), events, default);

        Assert.Equal(DeskOutcomeKind.NotFound, outcome.Kind);
    }

    [Fact]
    public async Task Decide_BodyOverTheLimit_IsTooLarge()
    {
        OpenPendingCase();

        var body = Body("approve", new string('x', DeskBodies.MaxCharacters));
        var outcome = await desk.DecideAsync(Customs, CaseId, "customs", body, events, default);

        Assert.Equal(DeskOutcomeKind.TooLarge, outcome.Kind);
        Assert.Empty(cases.Decisions);
    }

    [Fact]
    public async Task Decide_InRoundTwo_OnlyDepartmentsWithMeasures_AndToTheirRoundTwoReview()
    {
        cases.Save(Case(CaseStatus.Pending, measuresFor: ["customs"]) with { Round = 2 });
        events.Start(CaseId);

        var procurement = Caller.StaffOf("procurement-reviewer", "procurement", Roles.Reviewer);
        var outsider = await desk.DecideAsync(procurement, CaseId, "procurement", Body("approve", null), events, default);
        events.Start(ReviewNames.DepartmentReviewInstanceFor(CaseId, "customs", 2));
        var customs = await desk.DecideAsync(Customs, CaseId, "customs", Body("reject", "objection upheld"), events, default);

        Assert.Equal((ProblemKinds.NotInThisRound, DeskOutcomeKind.Conflict), (outsider.Problem, outsider.Kind));
        Assert.Equal(DeskOutcomeKind.Accepted, customs.Kind);
        Assert.Equal(2, Assert.Single(cases.Decisions).Round);
        Assert.Contains(audit.Entries, e => e.Action == "objection-decision");
        Assert.Equal(ReviewNames.DecisionEventFor("customs", 2), Assert.Single(events.Raised).EventName);
    }

    [Fact]
    public async Task RuleOnRepair_WhileNoRepairRequestExists_IsConflict_AndNothingIsRaised()
    {
        OpenPendingCase();

        var early = await desk.RuleOnRepairAsync(Regulator, CaseId, Body("approve", "fine"), events, default);

        Assert.Equal((ProblemKinds.NoRepairRequest, DeskOutcomeKind.Conflict), (early.Problem, early.Kind));
        Assert.Empty(events.Raised);
        Assert.Empty(audit.Entries);
    }

    [Fact]
    public async Task RuleOnRepair_PendingRequestButNoMeasureInForce_IsConflict()
    {
        cases.Save(Case(CaseStatus.MeasuresInForce, measuresFor: ["customs"]));
        events.Start(CaseId);
        await desk.RequestRepairAsync(Enterprise, CaseId, Comment("fines paid"), events, default);
        cases.Save(Case(CaseStatus.Closed, measuresFor: ["customs"]));

        var ruling = await desk.RuleOnRepairAsync(Regulator, CaseId, Body("approve", null), events, default);

        Assert.Equal((ProblemKinds.NothingToRepair, DeskOutcomeKind.Conflict), (ruling.Problem, ruling.Kind));
    }

    [Fact]
    public async Task RuleOnRepair_OnThePendingRequest_IsAccepted_AndNamesThatRequest()
    {
        OpenCaseWithMeasures();
        await desk.RequestRepairAsync(Enterprise, CaseId, Comment("fines paid, recall completed"), events, default);
        var request = (RepairRequest)Assert.Single(events.Raised).Payload;

        var ruling = await desk.RuleOnRepairAsync(Regulator, CaseId, Body("approve", "evidence checked"), events, default);

        Assert.Equal(DeskOutcomeKind.Accepted, ruling.Kind);
        Assert.NotNull(request.Id);
        var raised = (RepairRuling)events.Raised[^1].Payload;
        Assert.Equal((request.Id, DecisionVerdict.Approve), (raised.RequestId, raised.Verdict));
        Assert.True(raised.Answers(request));
    }

    [Fact]
    public async Task RuleOnRepair_Again_IsRepeated_ButAnotherRulingOnTheSameRequestIsConflict()
    {
        OpenCaseWithMeasures();
        await desk.RequestRepairAsync(Enterprise, CaseId, Comment("fines paid"), events, default);
        await desk.RuleOnRepairAsync(Regulator, CaseId, Body("reject", "not yet"), events, default);

        var same = await desk.RuleOnRepairAsync(Regulator, CaseId, Body("reject", "not yet"), events, default);
        var other = await desk.RuleOnRepairAsync(Regulator, CaseId, Body("approve", "changed my mind"), events, default);

        Assert.Equal(DeskOutcomeKind.Repeated, same.Kind);
        Assert.Equal((ProblemKinds.AlreadyRuled, DeskOutcomeKind.Conflict), (other.Problem, other.Kind));
        Assert.Single(audit.Entries, e => e.Action == RepairHearing.RulingReceived);
    }

    [Fact]
    public async Task RuleOnRepair_AfterTheReviewRecordedThatNoRulingCameInTime_IsConflict()
    {
        OpenCaseWithMeasures();
        await desk.RequestRepairAsync(Enterprise, CaseId, Comment("fines paid"), events, default);
        await audit.AppendAsync(Entry(RepairHearing.OutcomeRecorded, "system"), "repair-decided-1", default);

        var late = await desk.RuleOnRepairAsync(Regulator, CaseId, Body("approve", null), events, default);

        Assert.Equal((ProblemKinds.NoRepairRequest, DeskOutcomeKind.Conflict), (late.Problem, late.Kind));
    }

    [Theory]
    [InlineData("""{"verdict":"request-information"}""")]
    [InlineData("""{"verdict":7}""")]
    [InlineData("""{"verdict":0}""")]
    public async Task RuleOnRepair_NotApproveOrReject_IsInvalid(string body)
    {
        OpenCaseWithMeasures();
        await desk.RequestRepairAsync(Enterprise, CaseId, Comment("fines paid"), events, default);

        var ruling = await desk.RuleOnRepairAsync(Regulator, CaseId, body, events, default);

        Assert.Equal(DeskOutcomeKind.Invalid, ruling.Kind);
        Assert.Single(events.Raised);
    }

    [Fact]
    public async Task RequestRepair_WhileOneAwaitsItsRuling_TheSameIsRepeatedUnderItsId_AnotherIsConflict()
    {
        OpenCaseWithMeasures();
        var first = await desk.RequestRepairAsync(Enterprise, CaseId, Comment("fines paid"), events, default);

        var same = await desk.RequestRepairAsync(Enterprise, CaseId, Comment("fines paid"), events, default);
        var another = await desk.RequestRepairAsync(Enterprise, CaseId, Comment("and the recall"), events, default);

        Assert.Equal((DeskOutcomeKind.Accepted, DeskOutcomeKind.Repeated), (first.Kind, same.Kind));
        Assert.Equal((ProblemKinds.RepairPending, DeskOutcomeKind.Conflict), (another.Problem, another.Kind));
        var raised = events.Raised.Select(r => (RepairRequest)r.Payload).ToList();
        Assert.Equal(2, raised.Count);
        Assert.Equal(raised[0], raised[1]);
        Assert.Single(audit.Entries, e => e.Action == RepairHearing.RequestReceived);
    }

    [Fact]
    public async Task RequestRepair_SameWordsAfterARuling_IsANewRequestWithItsOwnId()
    {
        OpenCaseWithMeasures();
        await desk.RequestRepairAsync(Enterprise, CaseId, Comment("fines paid"), events, default);
        await desk.RuleOnRepairAsync(Regulator, CaseId, Body("reject", "not yet"), events, default);

        var again = await desk.RequestRepairAsync(Enterprise, CaseId, Comment("fines paid"), events, default);
        var ruling = await desk.RuleOnRepairAsync(Regulator, CaseId, Body("approve", "now yes"), events, default);

        Assert.Equal((DeskOutcomeKind.Accepted, DeskOutcomeKind.Accepted), (again.Kind, ruling.Kind));
        var requests = events.Raised.Select(r => r.Payload).OfType<RepairRequest>().ToList();
        Assert.Equal(2, requests.Select(r => r.Id).Distinct().Count());
        Assert.Equal(requests[1].Id, ((RepairRuling)events.Raised[^1].Payload).RequestId);
    }

    [Fact]
    public async Task RequestRepair_ByAnotherEnterprise_IsForbidden()
    {
        OpenCaseWithMeasures();

        var other = Enterprise with { Uscc = "91110000D3M000004N" };
        var outcome = await desk.RequestRepairAsync(other, CaseId, Comment("mine"), events, default);

        Assert.Equal((ProblemKinds.NotThisEnterprise, DeskOutcomeKind.Forbidden), (outcome.Problem, outcome.Kind));
        Assert.Empty(events.Raised);
    }

    [Fact]
    public async Task RequestRepair_WhileNoMeasureIsInForce_IsConflict_AndWithoutAReasonIsInvalid()
    {
        OpenPendingCase();
        var pending = await desk.RequestRepairAsync(Enterprise, CaseId, Comment("fines paid"), events, default);
        OpenCaseWithMeasures();
        var unreasoned = await desk.RequestRepairAsync(Enterprise, CaseId, "{}", events, default);

        Assert.Equal((ProblemKinds.NothingToRepair, DeskOutcomeKind.Conflict), (pending.Problem, pending.Kind));
        Assert.Equal((ProblemKinds.ReasonNeeded, DeskOutcomeKind.Invalid), (unreasoned.Problem, unreasoned.Kind));
    }

    [Fact]
    public async Task Object_WithinTheWindow_ReopensOnce_TheSameAgainIsRepeated_AnotherIsConflict()
    {
        cases.Save(Case(CaseStatus.MeasuresInForce, ["customs", "tax"], time.GetUtcNow().AddDays(1)));
        events.Start(CaseId);

        var first = await desk.ObjectAsync(Enterprise, CaseId, Comment("the goods were a supplier's"), events, default);
        var same = await desk.ObjectAsync(Enterprise, CaseId, Comment("the goods were a supplier's"), events, default);
        var another = await desk.ObjectAsync(Enterprise, CaseId, Comment("and another thing"), events, default);

        Assert.Equal((DeskOutcomeKind.Accepted, DeskOutcomeKind.Repeated), (first.Kind, same.Kind));
        Assert.Equal((ProblemKinds.AlreadyObjected, DeskOutcomeKind.Conflict), (another.Problem, another.Kind));
        Assert.Equal(ReviewNames.ObjectionEvent, Assert.Single(events.Raised).EventName);
    }

    [Fact]
    public async Task Object_AfterTheWindowClosed_OrBeforeMeasures_IsConflict()
    {
        cases.Save(Case(CaseStatus.MeasuresInForce, ["customs"], time.GetUtcNow().AddMinutes(-1)));
        var late = await desk.ObjectAsync(Enterprise, CaseId, Comment("too late"), events, default);
        cases.Save(Case(CaseStatus.Pending));
        var early = await desk.ObjectAsync(Enterprise, CaseId, Comment("too early"), events, default);

        Assert.Equal(DeskOutcomeKind.Conflict, late.Kind);
        Assert.Contains("objection window closed", late.Reason, StringComparison.Ordinal);
        Assert.Equal(DeskOutcomeKind.Conflict, early.Kind);
        Assert.Contains("no punishment open to objection", early.Reason, StringComparison.Ordinal);
        Assert.Empty(events.Raised);
    }

    [Fact]
    public async Task Object_ByAnotherEnterprise_IsForbidden_AndWithoutAReasonIsInvalid()
    {
        cases.Save(Case(CaseStatus.MeasuresInForce, ["customs"], time.GetUtcNow().AddDays(1)));

        var other = await desk.ObjectAsync(Enterprise with { Uscc = "91110000D3M000004N" }, CaseId, Comment("x"), events, default);
        var unreasoned = await desk.ObjectAsync(Enterprise, CaseId, """{"comment":"  "}""", events, default);

        Assert.Equal(DeskOutcomeKind.Forbidden, other.Kind);
        Assert.Equal(DeskOutcomeKind.Invalid, unreasoned.Kind);
    }

    [Fact]
    public async Task ReportImplementation_IsAcceptedOnce_ThenRepeated_AndRefusedWithoutAMeasure()
    {
        OpenCaseWithMeasures();
        var procurement = Caller.StaffOf("procurement-reviewer", "procurement", Roles.Reviewer);

        var first = await desk.ReportImplementationAsync(Customs, CaseId, "customs", Comment("AEO withdrawn"), events, default);
        var again = await desk.ReportImplementationAsync(Customs, CaseId, "customs", Comment("AEO withdrawn"), events, default);
        var none = await desk.ReportImplementationAsync(procurement, CaseId, "procurement", "{}", events, default);

        Assert.Equal((DeskOutcomeKind.Accepted, DeskOutcomeKind.Repeated), (first.Kind, again.Kind));
        Assert.Equal((ProblemKinds.NoMeasuresToImplement, DeskOutcomeKind.NotFound), (none.Problem, none.Kind));
        Assert.Single(audit.Entries, e => e.Action == "implementation-report-received");
        Assert.All(events.Raised, r => Assert.Equal(ReviewNames.ImplementedEventFor("customs"), r.EventName));
    }

    [Theory]
    [InlineData("whatever")]
    [InlineData("1")]
    [InlineData("7")]
    [InlineData("Pending,Closed")]
    public async Task ListCases_UnknownStatus_IsInvalidNamingTheAcceptedValues(string status)
    {
        cases.Save(Case(CaseStatus.Pending));

        var outcome = await new CaseQuery(cases).ListAsync(status, null, null, PageRequest.First(50), default);

        Assert.Equal(DeskOutcomeKind.Invalid, outcome.Kind);
        Assert.Contains("Pending, MeasuresInForce, Closed", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains(status, outcome.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("", 1)]
    [InlineData("pending", 1)]
    [InlineData("Closed", 0)]
    public async Task ListCases_NamedOrNoStatus_Filters(string? status, int expected)
    {
        cases.Save(Case(CaseStatus.Pending));

        var outcome = await new CaseQuery(cases).ListAsync(status, null, null, PageRequest.First(50), default);

        Assert.Equal(DeskOutcomeKind.Found, outcome.Kind);
        Assert.Equal(expected, ((ListPage<CaseRecord>)outcome.Body!).Items.Count);
    }

    [Fact]
    public async Task EveryRefusal_NamesItsReason()
    {
        OpenPendingCase();
        var refusals = new List<DeskOutcome>
        {
            await desk.DecideAsync(Customs, CaseId, "customs", """{"verdict":7}""", events, default),
            await desk.DecideAsync(Customs, "nope", "customs", Body("approve", null), events, default),
            await desk.DecideAsync(Customs, CaseId, "customs", new string(' ', DeskBodies.MaxCharacters + 1), events, default),
            await desk.RuleOnRepairAsync(Regulator, CaseId, Body("approve", null), events, default),
            await desk.RuleOnRepairAsync(Regulator, CaseId, Body("request-information", null), events, default),
            await desk.RequestRepairAsync(Enterprise, CaseId, Comment("x"), events, default),
            await desk.ObjectAsync(Enterprise, CaseId, Comment("x"), events, default),
            await desk.ReportImplementationAsync(Customs, CaseId, "customs", "{}", events, default),
            await new CaseQuery(cases).ListAsync("whatever", null, null, PageRequest.First(50), default),
        };
        await desk.DecideAsync(Customs, CaseId, "customs", Body("approve", "a"), events, default);
        refusals.Add(await desk.DecideAsync(Customs, CaseId, "customs", Body("approve", "b"), events, default));

        Assert.All(refusals, r =>
        {
            Assert.True(r.IsRefusal, r.Kind.ToString());
            Assert.NotNull(r.Problem);
            Assert.False(string.IsNullOrWhiteSpace(r.Reason));
        });
    }

    [Theory]
    [InlineData(OrchestrationRuntimeStatus.Running, true)]
    [InlineData(OrchestrationRuntimeStatus.Pending, true)]
    [InlineData(OrchestrationRuntimeStatus.Completed, false)]
    [InlineData(OrchestrationRuntimeStatus.Terminated, false)]
    public async Task DurableReviewEvents_ReportsWhetherTheInstanceStillTakesEvents(OrchestrationRuntimeStatus status, bool running)
    {
        var client = new Mock<DurableTaskClient>("test") { CallBase = true };
        client.Setup(c => c.GetInstanceAsync(CaseId, It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new OrchestrationMetadata(nameof(JointReviewOrchestrator), CaseId) { RuntimeStatus = status });

        var events = new DurableReviewEvents(client.Object);

        Assert.Equal(new ReviewInstance(status.ToString(), running), await events.FindAsync(CaseId, default));
        Assert.Null(await events.FindAsync("not-started", default));
    }

    private void OpenPendingCase()
    {
        cases.Save(Case(CaseStatus.Pending));
        events.Start(CaseId);
        events.Start(ReviewNames.DepartmentReviewInstanceFor(CaseId, "customs"));
    }

    private void OpenCaseWithMeasures()
    {
        cases.Save(Case(CaseStatus.MeasuresInForce, measuresFor: ["customs", "tax"]));
        events.Start(CaseId);
    }

    internal static CaseRecord Case(CaseStatus status, IReadOnlyList<string>? measuresFor = null, DateTimeOffset? objectionDeadline = null)
    {
        var measures = (measuresFor ?? []).Select(d => new AppliedMeasure(
            Uscc, CaseId, d, $"{d.ToUpperInvariant()}-M", "measure", "basis", DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue)).ToList();
        var outcome = measuresFor is null ? null : new ReviewOutcome(CaseId, [], measures);
        return new CaseRecord(
            CaseId, Uscc, "华夏样本", "JP-DISHONEST-2016", MemorandumKind.Punishment, CreditGrade.D, 40,
            ["customs", "tax", "procurement"],
            status, DateTimeOffset.UnixEpoch, outcome, ObjectionDeadline: objectionDeadline, Revision: ReviewRequest.CurrentRevision);
    }

    internal static string Body(string verdict, string? comment) =>
        comment is null ? $$"""{"verdict":"{{verdict}}"}""" : $$"""{"verdict":"{{verdict}}","comment":"{{comment}}"}""";

    internal static string Comment(string comment) => $$"""{"comment":"{{comment}}"}""";

    private AuditEntry Entry(string action, string actor) => new(CaseId, action, actor, time.GetUtcNow(), action, "0000");
}
