using System.Text;
using System.Text.Json;
using Json.Schema;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Reviews;
using static Supervision.LocalHost.Tests.AccessHost;
using static Supervision.LocalHost.Tests.ResponseSchemaHost;

namespace Supervision.LocalHost.Tests;

/// <summary>One call of a route (by its function name) as an audience, and the status it must answer.</summary>
public sealed record SampleCall(string Operation, string Audience, string Path, int Status, string? Body = null)
{
    public override string ToString() => $"{Operation} as {Audience}: {Path} → {Status}";
}

/// <summary>
/// Every route a host serves, called for real on a local host with real cases, answers what openapi.json
/// says: the status is documented, its content type too, documented headers are sent, and the body is
/// valid against the schema the document gives for that status and content type (success bodies and
/// problems alike). A route served without a sample call here fails, so a route added later comes with one.
/// </summary>
public sealed class ResponseSchemaTests(ResponseSchemaHost fixture) : IClassFixture<ResponseSchemaHost>
{
    private const string Subject = "schema-walk-subject";
    private const string Approve = """{"verdict":"approve","comment":"查验属实 checked"}""";
    private const string Reject = """{"verdict":"reject","comment":"证据不足 not enough evidence"}""";
    private const string Objection = """{"comment":"罚款已缴清 the fine was paid; receipt attached"}""";
    private const string RepairReason = """{"comment":"已整改 corrected; inspection report attached"}""";

    /// <summary>
    /// The calls, run in this order: acting calls first (a repeat follows the call it repeats), then the reads
    /// that show what they did. A new route adds its calls here: at least one that succeeds.
    /// </summary>
    public static readonly IReadOnlyList<SampleCall> Samples =
    [
        new("ListReviews", "case-owner", "api/reviews?pageSize=1", 200),
        new("ListReviews", "enterprise-A", "api/reviews", 200),
        new("ListReviews", "case-owner", "api/reviews?next=forged", 400),
        new("ListReviews", "case-owner", "api/reviews?pageSize=0", 400),
        new("ListReviews", "customs-reviewer", "api/reviews?department=tax", 403),
        new("ListReviews", "anonymous", "api/reviews", 401),

        new("SubmitDecision", "customs-reviewer", Decision(LiveCase, "customs"), 202, Approve),
        new("SubmitDecision", "customs-reviewer", Decision(LiveCase, "customs"), 200, Approve),
        new("SubmitDecision", "customs-reviewer", Decision(LiveCase, "customs"), 409, Reject),
        new("SubmitDecision", "tax-supervisor", Decision(LiveCase, "tax"), 202, """{"verdict":"request-information","comment":"请补充"}"""),
        new("SubmitDecision", "tax-supervisor", Decision(LiveCase, "tax"), 400, """{"verdict":7}"""),
        new("SubmitDecision", "customs-reviewer", Decision(CaseB, "customs"), 409, Approve),
        new("SubmitDecision", "customs-reviewer", Decision(LiveCase, "customs"), 413, Comment(new string('x', DeskBodies.MaxCharacters))),
        new("SubmitDecision", "operator", Decision(LiveCase, "customs"), 403, Approve),

        new("ReportImplementation", "customs-reviewer", Implementation(CaseA), 202, Comment("已落实 done")),
        new("ReportImplementation", "customs-reviewer", Implementation(CaseA), 200, Comment("已落实 done")),
        new("ReportImplementation", "customs-reviewer", Implementation(LiveCase), 404, Comment("已落实 done")),

        new("FileObjection", "enterprise-A", $"api/reviews/{CaseA}/objection", 202, Objection),
        new("FileObjection", "enterprise-A", $"api/reviews/{CaseA}/objection", 200, Objection),
        new("FileObjection", "enterprise-A", $"api/reviews/{CaseA}/objection", 409, RepairReason),
        new("FileObjection", "enterprise-A", $"api/reviews/{CaseA}/objection", 400, "{}"),
        new("FileObjection", "enterprise-B", $"api/reviews/{CaseA}/objection", 403, Objection),

        new("RequestRepair", "enterprise-A", $"api/reviews/{CaseA}/repair", 202, RepairReason),
        new("RequestRepair", "enterprise-A", $"api/reviews/{CaseA}/repair", 200, RepairReason),
        new("RequestRepair", "enterprise-A", $"api/reviews/{CaseA}/repair", 409, Objection),
        new("RequestRepair", "enterprise-A", $"api/reviews/{CaseA}/repair", 400, "{}"),
        new("RequestRepair", "enterprise-B", $"api/reviews/{CaseB}/repair", 409, RepairReason),

        new("DecideRepair", "case-owner", $"api/reviews/{CaseA}/repair/decision", 202, Approve),
        new("DecideRepair", "case-owner", $"api/reviews/{CaseA}/repair/decision", 200, Approve),
        new("DecideRepair", "case-owner", $"api/reviews/{CaseA}/repair/decision", 400, """{"verdict":"request-information"}"""),
        new("DecideRepair", "case-owner", $"api/reviews/{CaseB}/repair/decision", 409, Approve),
        new("DecideRepair", "case-owner", "api/reviews/no-such-case/repair/decision", 404, Approve),
        new("DecideRepair", "customs-reviewer", $"api/reviews/{CaseA}/repair/decision", 403, Approve),

        new("GetReview", "case-owner", $"api/reviews/{CaseA}", 200),
        new("GetReview", "customs-reviewer", $"api/reviews/{LiveCase}", 200),
        new("GetReview", "enterprise-A", $"api/reviews/{CaseA}", 200),
        new("GetReview", "auditor", "api/reviews/no-such-case", 404),
        new("GetReview", "enterprise-B", $"api/reviews/{CaseA}", 403),

        new("GetEvidenceRaw", "customs-reviewer", $"api/reviews/{CaseA}/evidence/item-1/raw", 200),
        new("GetEvidenceRaw", "enterprise-A", $"api/reviews/{CaseA}/evidence/item-1/raw", 200),
        new("GetEvidenceRaw", "case-owner", $"api/reviews/{CaseA}/evidence/no-such-item/raw", 404),
        new("GetEvidenceRaw", "enterprise-B", $"api/reviews/{CaseA}/evidence/item-1/raw", 403),

        new("GetPortrait", "case-owner", $"api/portraits/{UsccA}", 200),
        new("GetPortrait", "customs-reviewer", $"api/portraits/{UsccB}", 404),
        new("GetPortrait", "enterprise-A", $"api/portraits/{UsccB}", 403),

        new("ReplayFailure", "operator", Replay(PoisonedKept), 202),
        new("ReplayFailure", "operator", Replay(PoisonedKept), 200),
        new("ReplayFailure", "operator", Replay(PoisonedNotKept), 409),
        new("ReplayFailure", "operator", "api/operator/failures/score-items~message-1/replay", 404),
        new("ReplayFailure", "auditor", Replay(PoisonedKept), 403),

        new("LinkUnlinked", "operator", "api/operator/unlinked/item-2/link", 202, Uscc(UsccA)),
        new("LinkUnlinked", "operator", "api/operator/unlinked/item-2/link", 200, Uscc(UsccA)),
        new("LinkUnlinked", "operator", "api/operator/unlinked/item-2/link", 409, Uscc(UsccB)),
        new("LinkUnlinked", "operator", "api/operator/unlinked/item-2/link", 400, Uscc("12345")),
        new("LinkUnlinked", "operator", "api/operator/unlinked/no-such-item/link", 404, Uscc(UsccA)),

        new("AddRegistryAlias", "operator", Aliases(UsccA), 201, Alias("华夏云膳")),
        new("AddRegistryAlias", "operator", Aliases(UsccA), 200, Alias("华夏云膳")),
        new("AddRegistryAlias", "operator", Aliases(UsccA), 409, Alias("华夏示例食品有限公司杭州分公司")),
        new("AddRegistryAlias", "operator", Aliases(UsccA), 400, "{}"),
        new("AddRegistryAlias", "operator", Aliases("91110000D3M00009AX"), 404, Alias("华夏云膳")),

        new("ListQuarantine", "operator", "api/operator/quarantine", 200),
        new("ListQuarantine", "operator", "api/operator/quarantine?pageSize=many", 400),
        new("ListQuarantine", "customs-reviewer", "api/operator/quarantine", 403),
        new("ListFailures", "operator", "api/operator/failures", 200),
        new("ListSources", "operator", "api/operator/sources", 200),
        new("GetSourceHistory", "operator", "api/operator/sources/schema-news/history?hours=24", 200),
        new("GetSourceHistory", "operator", "api/operator/sources/schema-news/history?hours=0", 400),
        new("GetSourceHistory", "operator", "api/operator/sources/no-such-source/history", 404),
        new("ListUnlinked", "operator", "api/operator/unlinked", 200),
        new("VerifyAudit", "auditor", "api/operator/audit/verify", 200),
        new("VerifyAudit", "operator", "api/operator/audit/verify?full=true", 200),
        new("PutDirectoryEntry", "operator", $"api/operator/directory/{Subject}", 200, """{"institution":"credit-agency-2"}"""),
        new("PutDirectoryEntry", "operator", $"api/operator/directory/{Subject}", 400, "{}"),
        new("GetDirectoryEntry", "operator", $"api/operator/directory/{Subject}", 200),
        new("GetDirectoryEntry", "operator", "api/operator/directory/nobody-at-all", 404),
        new("GetDirectoryEntry", "auditor", $"api/operator/directory/{Subject}", 403),

        new("Health", "anonymous", "api/health", 200),
        new("Health", "operator", "api/health", 200),
        new("OpenApi", "anonymous", "api/openapi.json", 200),
    ];

    private static readonly OpenApiContract Contract = OpenApiContract.Served();

    /// <summary>The same document with its object schemas closed: a property it does not name fails.</summary>
    private static readonly OpenApiContract Closed = OpenApiContract.Closed();

    private static readonly EvaluationOptions ListErrors = new() { OutputFormat = OutputFormat.List };

    [Fact]
    public void EveryServedRoute_HasASampleCallThatSucceeds()
    {
        var served = AccessTests.ServedRoutes().Select(r => r.Name).Distinct().ToList();

        var missing = served.Where(name => !Samples.Any(s => s.Operation == name && s.Status is >= 200 and < 300)).ToList();

        Assert.NotEmpty(served);
        Assert.True(
            missing.Count == 0,
            $"Add a call that succeeds to {nameof(ResponseSchemaTests)}.{nameof(Samples)} for: {string.Join(", ", missing)}");
    }

    [Fact]
    public void EveryServedRoute_IsDocumentedUnderItsFunctionsName()
    {
        var documented = Contract.Operations()
            .ToDictionary(o => $"{o.Method} {ApiRoutes.Prefix}{o.Path.TrimStart('/')}", o => o.OperationId);

        Assert.Multiple(AccessTests.ServedRoutes().Select(route => (Action)(() =>
        {
            var key = $"{route.Method} {route.Route}";
            Assert.True(documented.TryGetValue(key, out var id), $"{key} is not in openapi.json");
            Assert.True(id == route.Name, $"{key}: operationId '{id}' should be the function's name '{route.Name}'");
        })).ToArray());
    }

    [Fact]
    public async Task EverySample_AnswersItsStatus_WithTheBodyTheDocumentDescribes()
    {
        var failures = new List<string>();
        foreach (var sample in Samples)
        {
            if (await CheckAsync(sample) is { } failure)
            {
                failures.Add($"{sample}: {failure}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    /// <summary>Null when the call answers as the sample and the document say; otherwise what differs.</summary>
    private async Task<string?> CheckAsync(SampleCall sample)
    {
        var operation = Contract.Operation(sample.Operation);
        using var request = new HttpRequestMessage(new HttpMethod(operation.Method), sample.Path);
        if (Tokens[sample.Audience] is { } token)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        if (sample.Body is not null)
        {
            request.Content = new StringContent(sample.Body, Encoding.UTF8, "application/json");
        }

        using var response = await fixture.Host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        if (status != sample.Status)
        {
            return $"answered {status}: {text}";
        }

        if (Contract.Response(operation, status) is not var (pointer, documented))
        {
            return $"openapi.json documents no {status} for {operation.Method} {operation.Path}";
        }

        var missingHeaders = documented.TryGetProperty("headers", out var headers)
            ? headers.EnumerateObject().Select(h => h.Name)
                .Where(h => !response.Headers.TryGetValues(h, out _) && !response.Content.Headers.TryGetValues(h, out _)).ToList()
            : [];
        if (missingHeaders.Count > 0)
        {
            return $"no {string.Join(", ", missingHeaders)} header, which openapi.json documents";
        }

        var media = response.Content.Headers.ContentType?.MediaType ?? "(none)";
        if (!documented.TryGetProperty("content", out var content) || !content.TryGetProperty(media, out _))
        {
            return $"sent {media}, which openapi.json does not document for {status}";
        }

        if (media == "application/octet-stream")
        {
            // Bytes to save, not JSON: the documented headers above are what describes them.
            return null;
        }

        using var body = JsonDocument.Parse(text);
        if (body.RootElement.TryGetProperty("items", out var items) && items.GetArrayLength() == 0)
        {
            return "an empty page shows nothing of its items' schema: give the fixture something to list";
        }

        var schema = $"{pointer}/content/{OpenApiContract.Escape(media)}/schema";
        var result = Contract.SchemaAt(schema).Evaluate(body.RootElement, ListErrors);
        if (!result.IsValid)
        {
            return $"the body does not match its schema: {Errors(result)}\n{text}";
        }

        var closed = Closed.SchemaAt(schema).Evaluate(body.RootElement, ListErrors);
        return closed.IsValid ? null : $"the body has properties its schema does not name: {Errors(closed)}\n{text}";
    }

    private static string Errors(EvaluationResults result) =>
        string.Join("; ", (result.Details ?? []).Append(result)
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}")));

    private static string Decision(string caseId, string department) => $"api/reviews/{caseId}/departments/{department}/decision";

    private static string Implementation(string caseId) => $"api/reviews/{caseId}/departments/customs/implementation";

    private static string Comment(string text) => JsonSerializer.Serialize(new { comment = text });

    private static string Replay(string messageId) => $"api/operator/failures/items-to-score~{messageId}/replay";

    private static string Aliases(string uscc) => $"api/operator/registry/{uscc}/aliases";

    private static string Uscc(string uscc) => JsonSerializer.Serialize(new { uscc });

    private static string Alias(string alias) => JsonSerializer.Serialize(new { alias });
}
