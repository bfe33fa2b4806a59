using Supervision.Domain.Problems;
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

/// <summary>
/// A status code and a JSON body, or bytes to download (<see cref="Attachment"/>) with headers of their own;
/// both hosts write it with <see cref="HttpApiAdapter.WriteAsync"/>.
/// </summary>
public sealed record ApiResponse(int Status, object? Body)
{
    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    /// <summary>Bytes answered as they are, instead of <see cref="Body"/>'s JSON.</summary>
    public byte[]? Bytes { get; init; }

    /// <summary>Headers besides Content-Type.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = NoHeaders;

    public static ApiResponse Ok(object body) => new(200, body);

    /// <summary>
    /// Bytes to save, never to render: an attachment, as octet-stream that a browser must not sniff
    /// (raw evidence comes from hostile feeds), with <paramref name="headers"/> besides.
    /// </summary>
    public static ApiResponse Attachment(byte[] bytes, string fileName, IReadOnlyDictionary<string, string> headers)
    {
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(fileName);
        var all = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Disposition"] = disposition.ToString(),
            ["X-Content-Type-Options"] = "nosniff",
            ["Cache-Control"] = "no-store",
        };
        return new ApiResponse(200, null) { Bytes = bytes, Headers = all };
    }

    /// <summary>Bytes as octet-stream; problems as RFC 9457 problem+json; everything else as JSON.</summary>
    public string ContentType => (Bytes, Body) switch
    {
        ({ }, _) => "application/octet-stream",
        (_, ProblemBody) => "application/problem+json; charset=utf-8",
        _ => "application/json; charset=utf-8",
    };

    public static ApiResponse Problem(int status, ProblemKind kind, string detail) =>
        new(status, new ProblemBody(kind.Type, kind.Title, status, detail));

    /// <summary>
    /// The one mapping from a desk's outcome to HTTP: accepted 202, repeated or found 200, and each
    /// refusal its status, with its kind of problem and reason.
    /// </summary>
    public static ApiResponse From(DeskOutcome outcome) => outcome.Kind switch
    {
        DeskOutcomeKind.Accepted => new(202, outcome.Body),
        DeskOutcomeKind.Repeated or DeskOutcomeKind.Found => new(200, outcome.Body),
        var refusal => Problem(
            StatusOf(refusal),
            outcome.Problem ?? throw new InvalidOperationException($"A {refusal} outcome must name its kind of problem."),
            outcome.Reason ?? string.Empty),
    };

    /// <summary>
    /// An accepted request (202) points at where its effect can be followed, e.g. the case a decision was
    /// passed to; other answers are left as they are.
    /// </summary>
    public ApiResponse Locating(string path) =>
        Status == 202 ? this with { Headers = new Dictionary<string, string>(Headers) { ["Location"] = path } } : this;

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

/// <summary>
/// An RFC 9457 error body: the kind of problem as a URN (<see cref="ProblemKind.Type"/>), its title in
/// Chinese and English, the status, and what went wrong in this request.
/// </summary>
public sealed record ProblemBody(string Type, string Title, int Status, string Detail);

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
    public const string EvidenceRaw = "api/reviews/{caseId}/evidence/{evidenceId}/raw";
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

    /// <summary>The absolute path of a case (<see cref="Review"/>), where what was done to it can be followed.</summary>
    public static string CasePath(string caseId) =>
        "/" + Review.Replace("{caseId}", Uri.EscapeDataString(caseId), StringComparison.Ordinal);
}
