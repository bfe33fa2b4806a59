using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Audit;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Reviews;
using Supervision.Domain.Scoring;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Operations;
using Supervision.Infrastructure.Portraits;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Scoring;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Api;

/// <summary>The body of a decision: "approve" or "reject", with an optional comment.</summary>
public sealed record DecisionBody(DecisionVerdict? Verdict, string? Comment);

/// <summary>
/// The HTTP API's logic, host-neutral: the Functions app and the local host bind a request,
/// call one method here, and write the response.
/// </summary>
public sealed class SupervisionApi(
    CallerResolver callers,
    CaseStore cases,
    CaseFileStore caseFiles,
    PortraitStore portraits,
    AuditLog audit,
    Quarantine quarantine,
    MessageFailureLog failures,
    SourceRegistry sources,
    SourceStatisticsReader sourceStatistics,
    SupervisionStorage storage,
    TimeProvider time,
    ILogger<SupervisionApi> logger)
{
    private const int MaxBodyCharacters = 16 * 1024;

    public async Task<ApiResponse> ListReviewsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        if (callers.Resolve(request) is null)
        {
            return Unauthenticated();
        }

        CaseStatus? status = request.Query.TryGetValue("status", out var text) && Enum.TryParse<CaseStatus>(text, ignoreCase: true, out var parsed) ? parsed : null;
        return ApiResponse.Ok(await cases.ListAsync(status, cancellationToken));
    }

    public async Task<ApiResponse> GetReviewAsync(ApiRequest request, string caseId, CancellationToken cancellationToken)
    {
        if (callers.Resolve(request) is null)
        {
            return Unauthenticated();
        }

        var record = await cases.GetAsync(caseId, cancellationToken);
        if (record is null)
        {
            return ApiResponse.Problem(404, "No such case", $"There is no review case '{caseId}'.");
        }

        var decisions = await cases.DecisionsAsync(caseId, cancellationToken);
        var trail = await audit.ForSubjectAsync(caseId, cancellationToken);
        var caseFile = record.CaseFile is null ? null : await caseFiles.ReadAsync(record.CaseFile, cancellationToken);
        return ApiResponse.Ok(new { Case = record, CaseFile = caseFile, Decisions = decisions, Audit = trail });
    }

    public async Task<ApiResponse> SubmitDecisionAsync(ApiRequest request, string caseId, string department, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var caller = callers.Resolve(request);
        if (RefuseUnlessOfDepartment(caller, department, "decide for it", caseId) is { } refusal)
        {
            return refusal;
        }

        if (request.Body.Length > MaxBodyCharacters)
        {
            return ApiResponse.Problem(413, "Body too large", $"A decision body is at most {MaxBodyCharacters} characters.");
        }

        DecisionBody? body;
        try
        {
            body = JsonSerializer.Deserialize<DecisionBody>(request.Body, MessageJson.Options);
        }
        catch (JsonException e)
        {
            return ApiResponse.Problem(400, "Malformed decision", $"Expected {{\"verdict\":\"approve|reject\",\"comment\":\"...\"}}: {e.Message}");
        }

        if (body?.Verdict is not { } verdict)
        {
            return ApiResponse.Problem(400, "Malformed decision", "The body needs \"verdict\": \"approve\" or \"reject\".");
        }

        var record = await cases.GetAsync(caseId, cancellationToken);
        if (record is null || !record.Departments.Contains(department))
        {
            return ApiResponse.Problem(404, "No such review", $"Case '{caseId}' has no review by '{department}'.");
        }

        // After an objection only the departments with measures review again (round 2).
        var round = record.Round;
        if (round > 1 && record.Outcome?.Measures.Any(m => m.Department == department) != true)
        {
            return ApiResponse.Problem(409, "Not in this round", $"'{department}' has no measure on case '{caseId}' and does not review the enterprise's objection.");
        }

        var suffix = ReviewNames.RoundSuffix(round);
        var instance = await durable.GetInstanceAsync(caseId, cancellationToken);
        if (instance is null)
        {
            return ApiResponse.Problem(409, "Review not open yet", $"The review of case '{caseId}' has not started; try again shortly.");
        }

        // The department's own review instance (revision 2), or the case's for older reviews.
        var target = record.DecisionInstanceFor(department);
        var now = time.GetUtcNow();
        if (verdict == DecisionVerdict.RequestInformation)
        {
            // Not a decision: nothing is stored as the department's verdict, so the instance that
            // counts it must exist to receive it. The same request sent twice is audited once and
            // counted once by the orchestration (its key is the body).
            if (target != caseId && await durable.GetInstanceAsync(target, cancellationToken) is null)
            {
                return ApiResponse.Problem(409, "Review not open yet", $"The review by '{department}' of case '{caseId}' has not started; try again shortly.");
            }

            var key = $"information-request-{department}{suffix}-{ContentHash.Sha256Hex(request.Body)[..16]}";
            if (!await audit.ExistsAsync(caseId, key, cancellationToken))
            {
                await audit.AppendAsync(new AuditEntry(caseId, "information-request-received", caller!.Subject, now, $"{department} ({caller.Role}): {body.Comment}", ContentHash.Sha256Hex(request.Body)), key, cancellationToken);
                await durable.RaiseEventAsync(target, ReviewNames.DecisionEventFor(department, round), new DepartmentDecision(verdict, caller.Subject, body.Comment, now), cancellationToken);
                return new ApiResponse(202, new { CaseId = caseId, Department = department, Verdict = verdict, Repeated = false });
            }

            return ApiResponse.Ok(new { CaseId = caseId, Department = department, Verdict = verdict, Repeated = true });
        }

        var (standing, inserted) = await cases.RecordDecisionAsync(new DecisionRecord(caseId, department, verdict, caller!.Subject, body.Comment, now, round), cancellationToken);
        if (!inserted && (standing.Verdict != verdict || standing.DecidedBy != caller.Subject))
        {
            return ApiResponse.Problem(409, "Already decided", $"{standing.DecidedBy} already decided '{standing.Verdict}' for '{department}' at {standing.DecidedAt:O}.");
        }

        if (inserted && await audit.ExistsAsync(caseId, ReviewNames.OverdueKeyFor(department, round), cancellationToken))
        {
            // Kept as a record of the late answer, but the review has moved on without it.
            return ApiResponse.Problem(409, "Deadline passed", $"'{department}' was recorded overdue on case '{caseId}'; the case owner has been alerted.");
        }

        if (inserted)
        {
            await audit.AppendAsync(
                new AuditEntry(caseId, round > 1 ? "objection-decision" : "decision", caller.Subject, now, $"{department}: {verdict} ({caller.Role}){(body.Comment is null ? string.Empty : $": {body.Comment}")}", ContentHash.Sha256Hex(request.Body)),
                $"decision-{department}{suffix}", cancellationToken);
        }

        if (instance.RuntimeStatus is not (OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending))
        {
            return inserted
                ? ApiResponse.Problem(409, "Review closed", $"Case '{caseId}' ended ({instance.RuntimeStatus}) before this decision.")
                : ApiResponse.Ok(new { CaseId = caseId, Department = department, Decision = standing, Repeated = true });
        }

        // Raised again on a repeated request too: if the first request stored the decision but
        // died before raising, the repeat completes it. The orchestration takes the first event
        // only. A department review that has not started yet reads the stored decision when it does.
        if (target == caseId || await durable.GetInstanceAsync(target, cancellationToken) is not null)
        {
            await durable.RaiseEventAsync(target, ReviewNames.DecisionEventFor(department, round), new DepartmentDecision(standing.Verdict, standing.DecidedBy, standing.Comment, standing.DecidedAt), cancellationToken);
        }

        return new ApiResponse(inserted ? 202 : 200, new { CaseId = caseId, Department = department, Round = round, Decision = standing, Repeated = !inserted });
    }

    /// <summary>A department reports it has implemented its measures (initiate – respond – feedback).</summary>
    public async Task<ApiResponse> ReportImplementationAsync(ApiRequest request, string caseId, string department, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var caller = callers.Resolve(request);
        if (RefuseUnlessOfDepartment(caller, department, "report its implementation", caseId) is { } refusal)
        {
            return refusal;
        }

        var record = await cases.GetAsync(caseId, cancellationToken);
        if (record?.Outcome is null || !record.Outcome.Measures.Any(m => m.Department == department))
        {
            return ApiResponse.Problem(404, "No measures to implement", $"'{department}' has no applied measure on case '{caseId}'.");
        }

        var comment = ReadComment(request);
        var now = time.GetUtcNow();
        var key = $"implementation-received-{department}";
        var repeated = await audit.ExistsAsync(caseId, key, cancellationToken);
        if (!repeated)
        {
            await audit.AppendAsync(new AuditEntry(caseId, "implementation-report-received", caller!.Subject, now, $"{department}: {comment}", ContentHash.Sha256Hex(request.Body)), key, cancellationToken);
        }

        // Raised on a repeat too, in case the first call died between audit and raise; the orchestration takes the first.
        await durable.RaiseEventAsync(caseId, ReviewNames.ImplementedEventFor(department), new ImplementationReport(department, caller!.Subject, comment, now), cancellationToken);
        return new ApiResponse(repeated ? 200 : 202, new { CaseId = caseId, Department = department, Repeated = repeated });
    }

    /// <summary>
    /// The enterprise a case concerns objects to its measures. Accepted once per case, within the
    /// window its notice named; the review re-opens and each department with measures decides again.
    /// </summary>
    public async Task<ApiResponse> ObjectAsync(ApiRequest request, string caseId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var caller = callers.Resolve(request);
        if (caller is null)
        {
            return Unauthenticated();
        }

        if (request.Body.Length > MaxBodyCharacters)
        {
            return ApiResponse.Problem(413, "Body too large", $"An objection is at most {MaxBodyCharacters} characters.");
        }

        var record = await cases.GetAsync(caseId, cancellationToken);
        if (record is null)
        {
            return ApiResponse.Problem(404, "No such case", $"There is no review case '{caseId}'.");
        }

        if (DecisionAccess.CheckEnterprise(caller, record.Uscc) != AccessVerdict.Allowed)
        {
            logger.LogWarning("{Subject} ({Role}) tried to object on behalf of {Uscc} on {CaseId}", caller.Subject, caller.Role, record.Uscc, caseId);
            return ApiResponse.Problem(403, "Not this enterprise", $"Only enterprise {record.Uscc} may object on its case.");
        }

        var reason = ReadComment(request);
        if (string.IsNullOrWhiteSpace(reason))
        {
            return ApiResponse.Problem(400, "Reason needed", "An objection needs {\"comment\":\"what is wrong with the decision, and the evidence\"}.");
        }

        var hash = ContentHash.Sha256Hex(request.Body);
        var standing = (await audit.ForSubjectAsync(caseId, cancellationToken)).FirstOrDefault(e => e.Action == "objection-received");
        if (standing is not null)
        {
            // Once per case: the same objection again changes nothing; a different one comes too late.
            return standing.InputsSha256 == hash
                ? ApiResponse.Ok(new { CaseId = caseId, Repeated = true })
                : ApiResponse.Problem(409, "Already objected", $"An objection to case '{caseId}' was filed at {standing.At:O}; the review is re-opened once.");
        }

        var now = time.GetUtcNow();
        if (record.Kind != MemorandumKind.Punishment || record.Status != CaseStatus.MeasuresInForce || record.ObjectionDeadline is not { } deadline || now > deadline)
        {
            var why = record.ObjectionDeadline is { } closed && now > closed
                ? $"the objection window closed at {closed:O}"
                : $"the case has no punishment open to objection ({record.Kind}, {record.Status})";
            return ApiResponse.Problem(409, "No objection possible", $"Case '{caseId}': {why}.");
        }

        await audit.AppendAsync(new AuditEntry(caseId, "objection-received", caller.Subject, now, reason, hash), "objection-received", cancellationToken);
        await durable.RaiseEventAsync(caseId, ReviewNames.ObjectionEvent, new Objection(caller.Subject, reason, now), cancellationToken);
        return new ApiResponse(202, new { CaseId = caseId, ReopenedFor = record.Outcome?.Measures.Select(m => m.Department).Distinct(StringComparer.Ordinal) });
    }

    /// <summary>The enterprise a case concerns asks for early credit repair; the market regulator decides.</summary>
    public async Task<ApiResponse> RequestRepairAsync(ApiRequest request, string caseId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var caller = callers.Resolve(request);
        var record = await cases.GetAsync(caseId, cancellationToken);
        if (caller is null)
        {
            return Unauthenticated();
        }

        if (record is null)
        {
            return ApiResponse.Problem(404, "No such case", $"There is no review case '{caseId}'.");
        }

        if (DecisionAccess.CheckEnterprise(caller, record.Uscc) != AccessVerdict.Allowed)
        {
            return ApiResponse.Problem(403, "Not this enterprise", $"Only enterprise {record.Uscc} may ask for credit repair on its case.");
        }

        if (record.Status != CaseStatus.MeasuresInForce)
        {
            return ApiResponse.Problem(409, "Nothing to repair", $"Case '{caseId}' has no measures in force ({record.Status}).");
        }

        var reason = ReadComment(request);
        if (string.IsNullOrWhiteSpace(reason))
        {
            return ApiResponse.Problem(400, "Reason needed", "A repair request needs {\"comment\":\"what was corrected, and the evidence\"}.");
        }

        var now = time.GetUtcNow();
        await audit.AppendAsync(new AuditEntry(caseId, "repair-request-received", caller.Subject, now, reason, ContentHash.Sha256Hex(request.Body)), $"repair-received-{ContentHash.Sha256Hex(request.Body)[..16]}", cancellationToken);
        await durable.RaiseEventAsync(caseId, ReviewNames.RepairRequestEvent, new RepairRequest(caller.Subject, reason, now), cancellationToken);
        return new ApiResponse(202, new { CaseId = caseId, ReviewedBy = ReviewNames.RepairDepartment });
    }

    /// <summary>The market regulator decides a credit-repair request: approve lifts the measures in force.</summary>
    public async Task<ApiResponse> DecideRepairAsync(ApiRequest request, string caseId, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var caller = callers.Resolve(request);
        if (RefuseUnlessOfDepartment(caller, ReviewNames.RepairDepartment, "decide credit repair", caseId) is { } refusal)
        {
            return refusal;
        }

        DecisionBody? body;
        try
        {
            body = JsonSerializer.Deserialize<DecisionBody>(request.Body, MessageJson.Options);
        }
        catch (JsonException e)
        {
            return ApiResponse.Problem(400, "Malformed decision", e.Message);
        }

        if (body?.Verdict is not (DecisionVerdict.Approve or DecisionVerdict.Reject) || await cases.GetAsync(caseId, cancellationToken) is null)
        {
            return ApiResponse.Problem(400, "Malformed decision", "The body needs \"verdict\": \"approve\" or \"reject\", for an existing case.");
        }

        var now = time.GetUtcNow();
        await audit.AppendAsync(new AuditEntry(caseId, "repair-decision", caller!.Subject, now, $"{body.Verdict}: {body.Comment}", ContentHash.Sha256Hex(request.Body)), $"repair-decision-{ContentHash.Sha256Hex(request.Body)[..16]}", cancellationToken);
        await durable.RaiseEventAsync(caseId, ReviewNames.RepairDecisionEvent, new DepartmentDecision(body.Verdict.Value, caller.Subject, body.Comment, now), cancellationToken);
        return new ApiResponse(202, new { CaseId = caseId, Verdict = body.Verdict });
    }

    /// <summary>
    /// The one rule for acting for a department (deciding, reporting, ruling on repair): a
    /// reviewer or supervisor of that department. 401 without identity, 403 (logged) otherwise;
    /// null when the caller may proceed.
    /// </summary>
    private ApiResponse? RefuseUnlessOfDepartment(Caller? caller, string department, string action, string caseId)
    {
        switch (DecisionAccess.Check(caller, department))
        {
            case AccessVerdict.Unauthenticated:
                return Unauthenticated();
            case AccessVerdict.Forbidden:
                logger.LogWarning("{Subject} of {Department} ({Role}) tried to {Action} for {Target} on {CaseId}", caller!.Subject, caller.Department, caller.Role, action, department, caseId);
                return ApiResponse.Problem(403, "Not your department", $"Only a reviewer or supervisor of '{department}' may {action}.");
            default:
                return null;
        }
    }

    private static string? ReadComment(ApiRequest request)
    {
        try
        {
            return request.Body.Length == 0 ? null : JsonSerializer.Deserialize<DecisionBody>(request.Body, MessageJson.Options)?.Comment;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async Task<ApiResponse> GetPortraitAsync(ApiRequest request, string uscc, CancellationToken cancellationToken)
    {
        if (callers.Resolve(request) is null)
        {
            return Unauthenticated();
        }

        var portrait = await portraits.GetAsync(uscc, cancellationToken);
        return portrait is null
            ? ApiResponse.Problem(404, "No portrait", $"No signals have been linked to '{uscc}' yet.")
            : ApiResponse.Ok(new { Portrait = portrait, History = await portraits.HistoryAsync(uscc, cancellationToken) });
    }

    public async Task<ApiResponse> ListQuarantineAsync(ApiRequest request, CancellationToken cancellationToken) =>
        callers.Resolve(request) is null ? Unauthenticated() : ApiResponse.Ok(await quarantine.ListAsync(200, cancellationToken));

    /// <summary>
    /// Every registered source with its measured record (volume, timeliness, duplicates, share
    /// linked, quarantined, confirmed by reviews) and the trust that record earns, measured now.
    /// </summary>
    public async Task<ApiResponse> ListSourcesAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        if (callers.Resolve(request) is null)
        {
            return Unauthenticated();
        }

        var reports = new List<SourceReport>();
        foreach (var source in await sources.ListAsync(cancellationToken))
        {
            reports.Add(await sourceStatistics.RefreshAsync(source, cancellationToken));
        }

        return ApiResponse.Ok(reports.Select(r => new
        {
            r.Definition,
            r.Statistics,
            DuplicateShare = r.Statistics.DuplicateShare,
            LinkedShare = r.Statistics.LinkedShare,
            ConfirmedShare = r.Statistics.ConfirmedShare,
            r.Trust,
        }));
    }

    /// <summary>The OpenAPI 3.0 document of this API (embedded; a test keeps it in step with the routes).</summary>
    public static ApiResponse OpenApiDocument()
    {
        using var stream = typeof(SupervisionApi).Assembly.GetManifestResourceStream("Supervision.Infrastructure.Api.openapi.json")
            ?? throw new InvalidOperationException("openapi.json is not embedded");
        using var document = JsonDocument.Parse(stream);
        return ApiResponse.Ok(document.RootElement.Clone());
    }

    /// <summary>Walks every audit hash chain and reports the first broken link of each; 200 when all hold, 409 otherwise.</summary>
    public async Task<ApiResponse> VerifyAuditAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        if (callers.Resolve(request) is null)
        {
            return Unauthenticated();
        }

        var verification = await audit.VerifyAsync(cancellationToken);
        return new ApiResponse(verification.Intact ? 200 : 409, verification);
    }

    /// <summary>The operator's linking queue: mentions no enterprise could be confidently matched to, with why.</summary>
    public async Task<ApiResponse> ListUnlinkedAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        if (callers.Resolve(request) is null)
        {
            return Unauthenticated();
        }

        var rows = new List<object>();
        await foreach (var row in storage.Table(StorageNames.Tables.UnlinkedMentions).QueryAsync<Azure.Data.Tables.TableEntity>(select: ["PartitionKey", "RowKey", "Title", "Reason", "RawSha256"], cancellationToken: cancellationToken))
        {
            rows.Add(new { Source = row.PartitionKey, ItemId = row.RowKey, Title = row.GetString("Title"), Reason = row.GetString("Reason"), RawSha256 = row.GetString("RawSha256") });
            if (rows.Count >= 200)
            {
                break;
            }
        }

        return ApiResponse.Ok(rows);
    }

    public async Task<ApiResponse> ListFailuresAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        if (callers.Resolve(request) is null)
        {
            return Unauthenticated();
        }

        var rows = await failures.ListAsync(200, cancellationToken);
        return ApiResponse.Ok(rows.Select(r => new { Queue = r.PartitionKey, MessageId = r.RowKey, Reason = r.GetString("Reason"), Poisoned = r.GetBoolean("Poisoned"), FailedAt = r.GetDateTimeOffset("FailedAt") }));
    }

    /// <summary>
    /// What an operator needs first: is storage reachable, which model is loaded, how deep the
    /// queues and their poison queues are, and when each source was last pulled successfully.
    /// 503 when storage cannot be reached or no model can be loaded.
    /// </summary>
    public async Task<ApiResponse> HealthAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        string model;
        var modelLoaded = true;
        try
        {
            model = services.GetRequiredService<ISentimentScorer>().ModelVersion;
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidOperationException or InvalidDataException)
        {
            (model, modelLoaded) = ($"not loaded: {e.Message}", false);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            var queues = new Dictionary<string, int>();
            foreach (var queue in StorageNames.Queues.All)
            {
                foreach (var name in new[] { queue, StorageNames.Queues.PoisonOf(queue) })
                {
                    var properties = await storage.Queue(name).GetPropertiesAsync(timeout.Token);
                    queues[name] = properties.Value.ApproximateMessagesCount;
                }
            }

            var sources = new List<object>();
            await foreach (var cursor in storage.Table(StorageNames.Tables.SourceCursors).QueryAsync<SourceCursorEntity>(cancellationToken: timeout.Token))
            {
                var age = cursor.LastSuccessAt is { } at ? Math.Round((time.GetUtcNow() - at).TotalSeconds) : (double?)null;
                sources.Add(new { Source = cursor.RowKey, cursor.LastSuccessAt, SecondsSinceLastSuccess = age, cursor.LastError, cursor.LastErrorAt });
            }

            var refresh = services.GetService<ModelRefresher>()?.Status;
            var body = new { Status = modelLoaded ? "healthy" : "unhealthy", Storage = "reachable", Model = model, ModelRefresh = refresh, Queues = queues, Sources = sources, CheckedAt = time.GetUtcNow() };
            return new ApiResponse(modelLoaded ? 200 : 503, body);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = e is OperationCanceledException ? "no answer within 5 seconds" : e.Message;
            return new ApiResponse(503, new { Status = "unhealthy", Storage = $"unreachable: {reason}", Model = model, CheckedAt = time.GetUtcNow() });
        }
    }

    private static ApiResponse Unauthenticated() =>
        ApiResponse.Problem(401, "Who are you?", "Send the App Service principal or, locally, 'Authorization: Bearer <development token>'.");
}
