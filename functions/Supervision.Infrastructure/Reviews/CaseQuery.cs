using Supervision.Domain.Reviews;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// Lists cases for reviewers, with the rule of the list's filter: a status is one of
/// <see cref="CaseStatus"/>'s names (in any case), or absent for every case. Anything else, a number
/// included, is refused rather than read as "no filter".
/// </summary>
public sealed class CaseQuery(ICaseBook cases)
{
    private static readonly string[] Statuses = Enum.GetNames<CaseStatus>();

    public async Task<DeskOutcome> ListAsync(string? status, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(status))
        {
            return DeskOutcome.Found(await cases.ListAsync(null, cancellationToken));
        }

        var name = Statuses.FirstOrDefault(s => string.Equals(s, status, StringComparison.OrdinalIgnoreCase));
        return name is null
            ? DeskOutcome.Invalid(
                "Unknown status",
                $"status '{status}' is not a case status; use one of {string.Join(", ", Statuses)}, or leave it out for every case.")
            : DeskOutcome.Found(await cases.ListAsync(Enum.Parse<CaseStatus>(name), cancellationToken));
    }
}
