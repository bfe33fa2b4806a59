namespace Supervision.Domain.Reviews;

/// <summary>
/// Which cases a list shows: by status, by department involved (with or without a status), or by
/// enterprise (with or without a status); null members do not filter. Each combination is read from
/// one index partition, newest first. <see cref="Awaiting"/> (with a department) keeps only the cases that
/// department has yet to decide in their current round (pending, or information requested).
/// </summary>
public sealed record CaseFilter(CaseStatus? Status = null, string? Department = null, string? Uscc = null, bool Awaiting = false)
{
    public static readonly CaseFilter All = new();
}
