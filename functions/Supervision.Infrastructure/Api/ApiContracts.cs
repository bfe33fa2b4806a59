namespace Supervision.Infrastructure.Api;

/// <summary>What the API handlers need of an HTTP request, whichever host received it.</summary>
public sealed record ApiRequest(IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Query, string Body)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>A status code and a JSON body; each host writes it in its own way.</summary>
public sealed record ApiResponse(int Status, object? Body)
{
    public static ApiResponse Ok(object body) => new(200, body);

    public static ApiResponse Problem(int status, string title, string detail) => new(status, new ProblemBody(title, detail, status));
}

/// <summary>An RFC 9457-shaped error body.</summary>
public sealed record ProblemBody(string Title, string Detail, int Status);

/// <summary>
/// Routes of the HTTP API, relative to the "api" prefix. The Functions attributes and the local
/// host both use these constants, and the drift test compares the two.
/// </summary>
public static class ApiRoutes
{
    public const string Reviews = "reviews";
    public const string Review = "reviews/{caseId}";
    public const string Decision = "reviews/{caseId}/departments/{department}/decision";
    public const string Implementation = "reviews/{caseId}/departments/{department}/implementation";
    public const string Repair = "reviews/{caseId}/repair";
    public const string Objection = "reviews/{caseId}/objection";
    public const string RepairDecision = "reviews/{caseId}/repair/decision";
    public const string Portrait = "portraits/{uscc}";
    public const string Quarantine = "operator/quarantine";
    public const string Failures = "operator/failures";
    public const string Sources = "operator/sources";
    public const string Unlinked = "operator/unlinked";
    public const string AuditVerification = "operator/audit/verify";
    public const string Health = "health";
    public const string OpenApi = "openapi.json";
}
