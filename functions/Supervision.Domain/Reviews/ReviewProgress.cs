namespace Supervision.Domain.Reviews;

/// <summary>
/// The rules of a department's progress on a case record. Every step may run twice (activities are
/// delivered at least once) and two departments' steps may race, so each step is idempotent (the first
/// deadline, reminder and decision stand) and <see cref="Merge"/> joins two records' progress without
/// losing what either knew: a step written by one writer survives another writer's save.
/// </summary>
public static class ReviewProgress
{
    /// <summary>The department was notified: pending, with this deadline unless one was set already.</summary>
    public static CaseRecord Notified(CaseRecord record, string department, int round, DateTimeOffset deadline) =>
        Change(record, department, round, p => p.Deadline is null ? p with { Deadline = deadline } : p);

    /// <summary>
    /// A reminder or escalation the department received; the first of each kind in a round stands (its alert is sent once).
    /// </summary>
    public static CaseRecord Alerted(CaseRecord record, string department, int round, string kind, DateTimeOffset at) =>
        Change(record, department, round, p => WithAlert(p, kind, at) with
        {
            Status = kind == ReviewAlertKinds.EscalatedToCaseOwner ? DepartmentReviewStatus.Overdue : p.Status,
        });

    /// <summary>
    /// The department's <paramref name="count"/>th request for information; when its window restarts, the new
    /// deadline. A request already counted changes nothing.
    /// </summary>
    public static CaseRecord InformationRequested(
        CaseRecord record, string department, int round, int count, DateTimeOffset? restartedDeadline) =>
        Change(record, department, round, p => p.InformationRequests >= count || IsFinal(p.Status)
            ? p
            : p with
            {
                Status = DepartmentReviewStatus.InformationRequested,
                InformationRequests = count,
                Deadline = restartedDeadline ?? p.Deadline,
            });

    /// <summary>The department approved or rejected; a department already decided or overdue keeps its status.</summary>
    public static CaseRecord Decided(CaseRecord record, string department, int round, DecisionVerdict verdict, DateTimeOffset at) =>
        verdict == DecisionVerdict.RequestInformation
            ? record
            : Change(record, department, round, p => IsFinal(p.Status)
                ? p
                : p with
                {
                    Status = verdict == DecisionVerdict.Approve ? DepartmentReviewStatus.Approved : DepartmentReviewStatus.Rejected,
                    DecidedAt = at,
                });

    /// <summary>
    /// Both records' progress joined: per department and round the further status (a deadline's
    /// escalation over a late decision, as the review itself counts it), the deadline of the later
    /// information request (the first one set otherwise), and every kind of alert once, at its first time.
    /// </summary>
    public static IReadOnlyList<DepartmentProgress>? Merge(
        IReadOnlyList<DepartmentProgress>? stored, IReadOnlyList<DepartmentProgress>? saved)
    {
        if (stored is not { Count: > 0 })
        {
            return saved;
        }

        if (saved is not { Count: > 0 })
        {
            return stored;
        }

        return stored.Concat(saved)
            .GroupBy(p => (p.Department, p.Round))
            .Select(g => g.Aggregate(Join))
            .OrderBy(p => p.Round).ThenBy(p => p.Department, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// The record as read at <paramref name="now"/>: each department's progress marked overdue when its
    /// deadline has passed without a decision (also before the review's own timer has recorded it).
    /// </summary>
    public static CaseRecord AsOf(CaseRecord record, DateTimeOffset now) => record.DepartmentReviews is not { Count: > 0 } reviews
        ? record
        : record with { DepartmentReviews = reviews.Select(p => p with { Overdue = IsOverdue(p, now) }).ToList() };

    public static bool IsOverdue(DepartmentProgress progress, DateTimeOffset now) =>
        progress.Status == DepartmentReviewStatus.Overdue
        || (!IsFinal(progress.Status) && progress.Deadline is { } deadline && deadline <= now);

    /// <summary>The department's progress in the case's current round, if it reviews in it.</summary>
    public static DepartmentProgress? Current(CaseRecord record, string department) =>
        record.DepartmentReviews?.Where(p => p.Department == department).OrderByDescending(p => p.Round).FirstOrDefault();

    private static bool IsFinal(DepartmentReviewStatus status) =>
        status is DepartmentReviewStatus.Approved or DepartmentReviewStatus.Rejected or DepartmentReviewStatus.Overdue;

    private static int Rank(DepartmentReviewStatus status) => status switch
    {
        DepartmentReviewStatus.Pending => 0,
        DepartmentReviewStatus.InformationRequested => 1,
        DepartmentReviewStatus.Overdue => 3,
        _ => 2,
    };

    private static DepartmentProgress Join(DepartmentProgress a, DepartmentProgress b)
    {
        var further = Rank(b.Status) > Rank(a.Status) ? b : a;
        var asked = b.InformationRequests > a.InformationRequests ? b : a;
        var alerts = b.Alerts.Aggregate(a, (p, alert) => WithAlert(p, alert.Kind, alert.At)).Alerts;
        return further with
        {
            Deadline = (asked.InformationRequests > 0 ? asked.Deadline : null) ?? a.Deadline ?? b.Deadline,
            InformationRequests = asked.InformationRequests,
            Alerts = alerts,
            DecidedAt = further.DecidedAt ?? a.DecidedAt ?? b.DecidedAt,
        };
    }

    private static DepartmentProgress WithAlert(DepartmentProgress progress, string kind, DateTimeOffset at)
    {
        var same = progress.Alerts.FirstOrDefault(a => a.Kind == kind);
        if (same is not null && same.At <= at)
        {
            return progress;
        }

        var alerts = progress.Alerts.Where(a => a.Kind != kind).Append(new ReviewAlert(kind, at)).OrderBy(a => a.At).ToList();
        return progress with { Alerts = alerts };
    }

    private static CaseRecord Change(CaseRecord record, string department, int round, Func<DepartmentProgress, DepartmentProgress> step)
    {
        var reviews = record.DepartmentReviews ?? [];
        var current = reviews.FirstOrDefault(p => p.Department == department && p.Round == round)
            ?? new DepartmentProgress(department, round, DepartmentReviewStatus.Pending, null, []);
        var changed = step(current);
        var others = reviews.Where(p => !(p.Department == department && p.Round == round));
        return record with
        {
            DepartmentReviews = others.Append(changed).OrderBy(p => p.Round).ThenBy(p => p.Department, StringComparer.Ordinal).ToList(),
        };
    }
}
