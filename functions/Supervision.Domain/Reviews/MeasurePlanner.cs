namespace Supervision.Domain.Reviews;

/// <summary>
/// Turns department outcomes into the measures to apply: only departments whose reviewer
/// approved contribute; rejected and overdue departments contribute none.
/// </summary>
public static class MeasurePlanner
{
    public static IReadOnlyList<AppliedMeasure> Plan(
        ReviewRequest request, IEnumerable<DepartmentOutcome> outcomes, DateTimeOffset startsAt)
    {
        var approved = outcomes
            .Where(o => o.Status == DepartmentOutcomeStatus.Approved)
            .Select(o => o.Department)
            .ToHashSet(StringComparer.Ordinal);

        return request.Departments
            .Where(d => approved.Contains(d.Department))
            .SelectMany(d => d.Measures.Select(m => new AppliedMeasure(
                request.Uscc,
                request.CaseId,
                d.Department,
                m.Code,
                m.Description,
                m.LegalBasis,
                startsAt,
                startsAt + (request.Timings?.MeasureDuration ?? m.Duration))))
            .ToList();
    }
}
