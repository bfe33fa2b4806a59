using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Messages;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// Marks the case closed with its outcome and when it closed, and tells the ingestion stage how the
/// evidence's signals fared (<see cref="SignalFeedback"/>) when the outcome confirms or refutes them.
/// A rerun keeps the first closing time and sends the same feedback, which the receiver merges.
/// </summary>
public sealed class CloseCaseActivity(
    CaseStore cases, CaseFileStore caseFiles, StageMessages messages, TimeProvider time, ILogger<CloseCaseActivity> logger)
    : TaskActivity<CloseCaseInput, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, CloseCaseInput input)
    {
        var request = input.Request;
        var stored = await cases.GetAsync(request.CaseId, CancellationToken.None);
        var closedAt = stored is { Status: CaseStatus.Closed, ClosedAt: { } first } && stored.OpenedAt == request.OpenedAt
            ? first
            : time.GetUtcNow();
        // The stored record keeps what later stages added to it (round 2, the objection deadline).
        var record = (stored is not null && stored.OpenedAt == request.OpenedAt
            ? stored with { Status = CaseStatus.Closed, Outcome = input.Outcome }
            : CaseRecord.Of(request, CaseStatus.Closed, input.Outcome)) with { ClosedAt = closedAt };
        await cases.SaveAsync(record, CancellationToken.None);

        if (ConfirmsEvidence(input.Outcome) is { } confirmed && await SignalsAsync(request) is { Count: > 0 } signals)
        {
            await messages.SendAsync(new SignalFeedback(request.CaseId, confirmed, signals), CancellationToken.None);
        }

        return true;
    }

    /// <summary>
    /// Whether the outcome confirms the evidence: yes when some department imposed a measure; no
    /// when some department rejected and none approved; otherwise (every department overdue, or
    /// approvals whose measures were all withdrawn) it says nothing either way.
    /// </summary>
    internal static bool? ConfirmsEvidence(ReviewOutcome outcome)
    {
        if (outcome.Measures.Count > 0)
        {
            return true;
        }

        var rejected = outcome.Departments.Any(d => d.Status == DepartmentOutcomeStatus.Rejected);
        var approved = outcome.Departments.Any(d => d.Status == DepartmentOutcomeStatus.Approved);
        return rejected && !approved ? false : null;
    }

    /// <summary>The signals the case rests on, as its case file froze them; none for a case opened without one.</summary>
    private async Task<IReadOnlyList<SignalRef>> SignalsAsync(ReviewRequest request)
    {
        if (request.CaseFile is null)
        {
            logger.LogInformation(
                "Case {CaseId} was opened without a case file; the sources of its evidence get no feedback", request.CaseId);
            return [];
        }

        if (await caseFiles.ReadAsync(request.CaseFile, CancellationToken.None) is not { } file)
        {
            logger.LogWarning(
                "Case file {CaseFile} of case {CaseId} is missing; the sources of its evidence get no feedback",
                request.CaseFile,
                request.CaseId);

            return [];
        }

        // Only the evidence is read, so that a case file written with an older portrait shape still serves.
        var evidence = file.Deserialize<CaseFileEvidenceView>(MessageJson.Options)?.Evidence ?? [];
        return evidence.Distinct().ToList();
    }

    private sealed record CaseFileEvidenceView(IReadOnlyList<SignalRef>? Evidence);
}

/// <summary>The case to close and how its review ended.</summary>
public sealed record CloseCaseInput(ReviewRequest Request, ReviewOutcome Outcome);
