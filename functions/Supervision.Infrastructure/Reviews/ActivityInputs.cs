using Supervision.Domain.Reviews;

namespace Supervision.Infrastructure.Reviews;

// Temporary home: each input moves beside its activity.

public sealed record ApplyMeasuresInput(ReviewRequest Request, IReadOnlyList<DepartmentOutcome> Outcomes, DateTime DecidedAtUtc);

public sealed record CloseCaseInput(ReviewRequest Request, ReviewOutcome Outcome);

public sealed record InformationRequestInput(DepartmentReviewInput Review, DepartmentDecision Request, int Count, bool WindowRestarted);

public sealed record ImplementationInput(ReviewRequest Request, string Department, ImplementationReport? Report);

public sealed record EnterpriseNoticeInput(ReviewRequest Request, IReadOnlyList<AppliedMeasure> Measures, DateTime? ObjectionDeadlineUtc = null);

public sealed record ObjectionInput(ReviewRequest Request, Objection Objection, IReadOnlyList<AppliedMeasure> Measures);

public sealed record ObjectionOutcomeInput(ReviewRequest Request, Objection Objection, IReadOnlyList<DepartmentOutcome> SecondRound, IReadOnlyList<AppliedMeasure> Standing);

public sealed record LiftMeasuresInput(ReviewRequest Request, IReadOnlyList<AppliedMeasure> Measures, string Reason, DateTime LiftedAtUtc);

public sealed record RepairRequestInput(ReviewRequest Request, RepairRequest Repair);

public sealed record RepairDecisionInput(ReviewRequest Request, RepairRequest Repair, DepartmentDecision? Decision);
