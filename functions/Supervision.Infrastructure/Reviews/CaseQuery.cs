using Supervision.Domain.Paging;
using Supervision.Domain.Problems;
using Supervision.Domain.Reviews;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// Lists cases for reviewers, with the rules of the list's filters: a status is one of
/// <see cref="CaseStatus"/>'s names (in any case), or absent for every case; anything else, a number
/// included, is refused rather than read as "no filter". A department (with or without a status) or
/// an enterprise's USCC (with or without a status) narrows the list; department and USCC together
/// are refused, as no index answers both. "awaiting" (true or false) needs a department: the cases
/// that department has yet to decide, from the same partition.
/// </summary>
public sealed class CaseQuery(ICaseBook cases)
{
    private static readonly string[] Statuses = Enum.GetNames<CaseStatus>();

    public Task<DeskOutcome> ListAsync(
        string? status, string? department, string? uscc, PageRequest page, CancellationToken cancellationToken) =>
        ListAsync(status, department, uscc, null, page, cancellationToken);

    public async Task<DeskOutcome> ListAsync(
        string? status, string? department, string? uscc, string? awaiting, PageRequest page, CancellationToken cancellationToken)
    {
        var waiting = awaiting?.ToLowerInvariant() switch
        {
            null or "" or "false" => false,
            "true" => true,
            _ => (bool?)null,
        };
        if (waiting is null || (waiting.Value && string.IsNullOrEmpty(department)))
        {
            return DeskOutcome.Invalid(
                ProblemKinds.InvalidAwaiting,
                "awaiting is true or false, and true needs department=<name>: the cases that department has yet to decide.");
        }

        CaseStatus? parsed = null;
        if (!string.IsNullOrEmpty(status))
        {
            var name = Statuses.FirstOrDefault(s => string.Equals(s, status, StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                return DeskOutcome.Invalid(
                    ProblemKinds.UnknownStatus,
                    $"status '{status}' is not a case status; use one of {string.Join(", ", Statuses)}, or leave it out for every case.");
            }

            parsed = Enum.Parse<CaseStatus>(name);
        }

        if (!string.IsNullOrEmpty(department) && !string.IsNullOrEmpty(uscc))
        {
            return DeskOutcome.Invalid(
                ProblemKinds.FiltersDoNotCombine,
                "department and uscc cannot be used together; filter by one of them (each may take a status).");
        }

        var filter = new CaseFilter(parsed, NullIfEmpty(department), NullIfEmpty(uscc), waiting.Value);
        return DeskOutcome.Found(await cases.PageAsync(filter, page, cancellationToken));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
