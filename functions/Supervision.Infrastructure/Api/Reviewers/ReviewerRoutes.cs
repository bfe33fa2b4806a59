using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Paging;
using Supervision.Domain.Problems;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api.Paging;
using Supervision.Infrastructure.Portraits;
using Supervision.Infrastructure.Reviews;

namespace Supervision.Infrastructure.Api.Reviewers;

/// <summary>
/// The reviewers' routes: cases and portraits to read, and a department's decisions, implementation
/// reports and the market regulator's repair rulings, which go to the decision desk. The gate has
/// checked the caller against <see cref="RouteAccess"/>; each handler calls one desk or store, shapes what
/// the caller may see of it (<see cref="CaseAccess"/>) and maps what it answers.
/// </summary>
public sealed partial class ReviewerRoutes(
    CaseQuery query,
    ListPaging paging,
    DecisionDesk desk,
    CaseStore cases,
    CaseFileStore caseFiles,
    AuditLog audit,
    PortraitStore portraits,
    CaseSources evidence,
    MemorandumCatalog memoranda,
    TimeProvider time)
{
    /// <summary>
    /// Cases newest first, a page at a time; filtered by status, department (e.g. pending for customs) or
    /// enterprise, within what the caller may see (<see cref="CaseAccess.ScopeOfList"/>): staff read their
    /// department's index partition, an enterprise its own, so every page is still one partition's.
    /// With awaiting=true (and a department) only the cases that department has yet to decide. Each case
    /// carries its departments' deadlines, alerts and whether they are overdue now (<see cref="ReviewProgress.AsOf"/>),
    /// so a queue needs no call per case.
    /// </summary>
    public async Task<ApiResponse> ListReviewsAsync(Caller caller, ApiRequest request, CancellationToken cancellationToken)
    {
        var (scope, refusal) = CaseAccess.ScopeOfList(caller, request.QueryValue("department"), request.QueryValue("uscc"));
        if (refusal is not null)
        {
            return ApiResponse.From(refusal);
        }

        var (status, awaiting) = (request.QueryValue("status"), request.QueryValue("awaiting"));
        var (department, uscc) = (scope!.Department, scope.Uscc);
        var pages = PageScope.Of(
            ApiRoutes.Reviews, caller, ("status", status), ("department", department), ("uscc", uscc), ("awaiting", awaiting));
        var now = time.GetUtcNow();
        return await paging.RespondAsync<CaseRecord>(
            pages,
            request,
            async page =>
            {
                var listed = await query.ListAsync(status, department, uscc, awaiting, page, cancellationToken);
                return listed.Body is ListPage<CaseRecord> read
                    ? DeskOutcome.Found(read.Select(c => CaseAccess.ViewFor(caller, ReviewProgress.AsOf(c, now))))
                    : listed;
            },
            cancellationToken);
    }

    /// <summary>
    /// A case with its departments' progress as of now, its case file, the memorandum and its measures'
    /// legal basis, its evidence (<see cref="CaseEvidence"/>), decisions, proceedings and audit trail; its
    /// enterprise gets its own view (<see cref="EnterpriseCaseView"/>): measures, legal basis and the
    /// evidence, not the reviewers' side.
    /// </summary>
    public async Task<ApiResponse> GetReviewAsync(Caller caller, string caseId, CancellationToken cancellationToken)
    {
        var record = await cases.GetAsync(caseId, cancellationToken);
        if (record is null)
        {
            return ApiResponse.Problem(404, ProblemKinds.NoSuchCase, $"There is no review case '{caseId}'.");
        }

        var decisions = await cases.DecisionsAsync(caseId, cancellationToken);
        var caseFile = record.CaseFile is null ? null : await caseFiles.ReadAsync(record.CaseFile, cancellationToken);
        if (!CaseAccess.SeesDeliberation(caller, record))
        {
            return ApiResponse.Ok(EnterpriseCaseView.Of(record, caseFile, decisions));
        }

        var trail = await audit.ForSubjectAsync(caseId, cancellationToken);
        return ApiResponse.Ok(new
        {
            Case = ReviewProgress.AsOf(record, time.GetUtcNow()),
            CaseFile = caseFile,
            Memorandum = CasePage.Memorandum(memoranda, record.MemorandumId),
            Evidence = await evidence.EvidenceAsync(record, caseFile, cancellationToken),
            Decisions = decisions,
            Proceedings = CasePage.Proceedings(trail),
            Audit = trail,
        });
    }

    public async Task<ApiResponse> SubmitDecisionAsync(
        Caller caller,
        ApiRequest request,
        string caseId,
        string department,
        DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        ApiResponse.From(
            await desk.DecideAsync(caller, caseId, department, request.Body, new DurableReviewEvents(durable), cancellationToken))
        .Locating(ApiRoutes.CasePath(caseId));

    /// <summary>A department reports it has implemented its measures (initiate – respond – feedback).</summary>
    public async Task<ApiResponse> ReportImplementationAsync(
        Caller caller,
        ApiRequest request,
        string caseId,
        string department,
        DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        var events = new DurableReviewEvents(durable);
        return ApiResponse.From(await desk.ReportImplementationAsync(caller, caseId, department, request.Body, events, cancellationToken))
            .Locating(ApiRoutes.CasePath(caseId));
    }

    /// <summary>The market regulator rules on the credit-repair request awaiting a ruling: approve lifts the measures in force.</summary>
    public async Task<ApiResponse> DecideRepairAsync(
        Caller caller, ApiRequest request, string caseId, DurableTaskClient durable, CancellationToken cancellationToken) =>
        ApiResponse.From(await desk.RuleOnRepairAsync(caller, caseId, request.Body, new DurableReviewEvents(durable), cancellationToken))
            .Locating(ApiRoutes.CasePath(caseId));

    public async Task<ApiResponse> GetPortraitAsync(string uscc, CancellationToken cancellationToken)
    {
        var portrait = await portraits.GetAsync(uscc, cancellationToken);
        return portrait is null
            ? ApiResponse.Problem(404, ProblemKinds.NoPortrait, $"No signals have been linked to '{uscc}' yet.")
            : ApiResponse.Ok(new { Portrait = portrait, History = await portraits.HistoryAsync(uscc, cancellationToken) });
    }
}

/// <summary>The reviewers' route group, the desk it works through, and the case facts the access rules read.</summary>
public static class ReviewerServices
{
    public static IServiceCollection AddReviewerRoutes(this IServiceCollection services)
    {
        services.AddDecisionDesk();
        services.AddSingleton<ReviewerRoutes>();
        services.AddSingleton<CaseSources>();
        services.AddSingleton<IAccessFacts, StoredAccessFacts>();
        return services;
    }
}
