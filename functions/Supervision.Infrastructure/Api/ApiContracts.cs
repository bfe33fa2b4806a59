using Supervision.Domain.Reviews;

namespace Supervision.Infrastructure.Api;

/// <summary>
/// What the API handlers need of an HTTP request, whichever host received it: headers, query, body,
/// and the values of the route's parameters ({caseId}, {department}), which the gate reads too.
/// </summary>
public sealed record ApiRequest(IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Query, string Body)
{
    private static readonly IReadOnlyDictionary<string, string> NoValues = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Route { get; init; } = NoValues;

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public string? QueryValue(string name) => Query.TryGetValue(name, out var value) ? value : null;

    public string? RouteValue(string name) => Route.TryGetValue(name, out var value) ? value : null;

    /// <summary>This request with these route values added (a later value for the same name wins).</summary>
    public ApiRequest WithRoute(IEnumerable<(string Name, string Value)> values)
    {
        var merged = new Dictionary<string, string>(Route, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values)
        {
            merged[name] = value;
        }

        return this with { Route = merged };
    }
}

/// <summary>A status code and a JSON body; each host writes it in its own way.</summary>
public sealed record ApiResponse(int Status, object? Body)
{
    public static ApiResponse Ok(object body) => new(200, body);

    /// <summary>Problems are written as RFC 9457 problem+json, everything else as JSON.</summary>
    public string ContentType => Body is ProblemBody ? "application/problem+json; charset=utf-8" : "application/json; charset=utf-8";

    public static ApiResponse Problem(int status, string title, string detail) => new(status, new ProblemBody(title, detail, status));

    /// <summary>
    /// The one mapping from a desk's outcome to HTTP: accepted 202, repeated or found 200, and each
    /// refusal its status, with its title and reason.
    /// </summary>
    public static ApiResponse From(DeskOutcome outcome) => outcome.Kind switch
    {
        DeskOutcomeKind.Accepted => new(202, outcome.Body),
        DeskOutcomeKind.Repeated or DeskOutcomeKind.Found => new(200, outcome.Body),
        var refusal => Problem(StatusOf(refusal), outcome.Title ?? refusal.ToString(), outcome.Reason ?? string.Empty),
    };

    private static int StatusOf(DeskOutcomeKind refusal) => refusal switch
    {
        DeskOutcomeKind.Invalid => 400,
        DeskOutcomeKind.Forbidden => 403,
        DeskOutcomeKind.NotFound => 404,
        DeskOutcomeKind.Conflict => 409,
        DeskOutcomeKind.TooLarge => 413,
        _ => throw new ArgumentOutOfRangeException(nameof(refusal), refusal, "not a refusal"),
    };
}

/// <summary>An RFC 9457-shaped error body.</summary>
public sealed record ProblemBody(string Title, string Detail, int Status);

/// <summary>
/// Routes of the HTTP API, each under "api/": host.json's routePrefix is empty so that the console can
/// be served outside /api by the same app. The Functions attributes and the local host both use these
/// constants, and the drift test compares the two. openapi.json's paths are relative to its server "/api".
/// </summary>
public static class ApiRoutes
{
    /// <summary>What each route starts with; openapi.json's paths leave it out.</summary>
    public const string Prefix = "api/";

    public const string Reviews = "api/reviews";
    public const string Review = "api/reviews/{caseId}";
    public const string Decision = "api/reviews/{caseId}/departments/{department}/decision";
    public const string Implementation = "api/reviews/{caseId}/departments/{department}/implementation";
    public const string Repair = "api/reviews/{caseId}/repair";
    public const string Objection = "api/reviews/{caseId}/objection";
    public const string RepairDecision = "api/reviews/{caseId}/repair/decision";
    public const string Portrait = "api/portraits/{uscc}";
    public const string Quarantine = "api/operator/quarantine";
    public const string Failures = "api/operator/failures";
    public const string Sources = "api/operator/sources";
    public const string Unlinked = "api/operator/unlinked";
    public const string AuditVerification = "api/operator/audit/verify";
    public const string DirectoryEntry = "api/operator/directory/{subject}";
    public const string FailureReplay = "api/operator/failures/{failureId}/replay";
    public const string UnlinkedLink = "api/operator/unlinked/{mentionId}/link";
    public const string RegistryAliases = "api/operator/registry/{uscc}/aliases";
    public const string SourceHistory = "api/operator/sources/{sourceId}/history";
    public const string Health = "api/health";
    public const string OpenApi = "api/openapi.json";
}
