using Supervision.Domain.Problems;

namespace Supervision.Domain.Reviews;

/// <summary>How the decision desk answered a request.</summary>
public enum DeskOutcomeKind
{
    /// <summary>Taken: recorded, and passed on to the review.</summary>
    Accepted,

    /// <summary>The same request again: nothing changed.</summary>
    Repeated,

    /// <summary>A read that found what was asked for.</summary>
    Found,

    /// <summary>The request is not one the desk can read (an unknown verdict or filter, a missing reason).</summary>
    Invalid,

    /// <summary>No such case, review, or measure.</summary>
    NotFound,

    /// <summary>The caller may not act on this case (an enterprise on another's case).</summary>
    Forbidden,

    /// <summary>The case is not in a state that allows it (already decided, deadline passed, nothing to rule on).</summary>
    Conflict,

    /// <summary>The body is over the desk's size limit.</summary>
    TooLarge,
}

/// <summary>
/// The decision desk's answer: its kind, and either the body to send back or, for a refusal, the kind
/// of problem (its type and title) and the reason. It holds no HTTP: the API maps the kind to a status.
/// </summary>
public sealed record DeskOutcome(DeskOutcomeKind Kind, object? Body, ProblemKind? Problem = null, string? Reason = null)
{
    public bool IsRefusal => Kind is not (DeskOutcomeKind.Accepted or DeskOutcomeKind.Repeated or DeskOutcomeKind.Found);

    public static DeskOutcome Accepted(object body) => new(DeskOutcomeKind.Accepted, body);

    public static DeskOutcome Repeated(object body) => new(DeskOutcomeKind.Repeated, body);

    public static DeskOutcome Found(object body) => new(DeskOutcomeKind.Found, body);

    public static DeskOutcome Invalid(ProblemKind problem, string reason) => new(DeskOutcomeKind.Invalid, null, problem, reason);

    public static DeskOutcome NotFound(ProblemKind problem, string reason) => new(DeskOutcomeKind.NotFound, null, problem, reason);

    public static DeskOutcome Forbidden(ProblemKind problem, string reason) => new(DeskOutcomeKind.Forbidden, null, problem, reason);

    public static DeskOutcome Conflict(ProblemKind problem, string reason) => new(DeskOutcomeKind.Conflict, null, problem, reason);

    public static DeskOutcome TooLarge(ProblemKind problem, string reason) => new(DeskOutcomeKind.TooLarge, null, problem, reason);
}
