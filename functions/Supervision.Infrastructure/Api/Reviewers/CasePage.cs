using Supervision.Domain.Audit;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Domain.Scoring;
using Supervision.Infrastructure.Reviews;

namespace Supervision.Infrastructure.Api.Reviewers;

/// <summary>
/// One piece of a case's evidence as the Case page shows it: an opinion signal (id: its item id) or a
/// credit record (id: its file's SHA-256), with its source, its weight in the portrait (a signal's risk,
/// a credit record's trust weight), what the scoring model saw in it, and where its archived bytes are
/// downloaded (<see cref="ApiRoutes.EvidenceRaw"/>). Titles and explanations come from hostile feeds: text only.
/// </summary>
public sealed record CaseEvidence(
    string EvidenceId,
    string Kind,
    string SourceId,
    string Title,
    string? Category,
    double Weight,
    string RawSha256,
    string RawUrl)
{
    public const string SignalKind = "signal";
    public const string CreditKind = "credit";

    /// <summary>When the source published or observed it (signals).</summary>
    public DateTimeOffset? ObservedAt { get; init; }

    /// <summary>When it arrived here (signals stored since this was recorded).</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>The model's probability that the text is adverse (signals).</summary>
    public double? NegativeProbability { get; init; }

    /// <summary>The n-grams that decided the model's probability, with their weights (signals).</summary>
    public IReadOnlyList<NgramContribution>? ScoreExplanation { get; init; }

    /// <summary>Why the mention was linked to this enterprise (signals).</summary>
    public string? LinkExplanation { get; init; }

    /// <summary>The source's own value and that value on a 0–100 scale (credit records).</summary>
    public string? Value { get; init; }

    public double? Normalised { get; init; }
}

/// <summary>The parts of the reviewers' Case page that are drawn from the case file, the memoranda and the audit trail.</summary>
public static class CasePage
{
    /// <summary>The path (from the origin) that downloads an evidence item's archived bytes.</summary>
    public static string RawUrl(string caseId, string evidenceId) =>
        "/" + ApiRoutes.EvidenceRaw
            .Replace("{caseId}", Uri.EscapeDataString(caseId), StringComparison.Ordinal)
            .Replace("{evidenceId}", Uri.EscapeDataString(evidenceId), StringComparison.Ordinal);

    /// <summary>The case file's signals (with what scoring recorded of each, where found) and its credit records.</summary>
    public static IReadOnlyList<CaseEvidence> Evidence(string caseId, CaseFile file, IReadOnlyDictionary<string, Signal> signals)
    {
        var opinion = file.Evidence.Select(e =>
        {
            var signal = signals.GetValueOrDefault(e.ItemId);
            return new CaseEvidence(
                e.ItemId, CaseEvidence.SignalKind, e.SourceId, e.Title, e.Category, e.Risk, e.RawSha256, RawUrl(caseId, e.ItemId))
            {
                ObservedAt = signal?.ObservedAt,
                ReceivedAt = signal?.ReceivedAt,
                NegativeProbability = signal?.NegativeProbability,
                ScoreExplanation = signal?.ScoreExplanation,
                LinkExplanation = signal?.LinkExplanation,
            };
        });
        var credit = file.Portrait.CreditContributions.Select(c => new CaseEvidence(
            c.FileSha256, CaseEvidence.CreditKind, c.SourceId, c.Detail, c.Kind, c.Weight, c.FileSha256, RawUrl(caseId, c.FileSha256))
        {
            Value = c.Value,
            Normalised = c.Normalised,
        });
        return opinion.Concat(credit).ToList();
    }

    /// <summary>The memorandum the case is under: its title, kind, and each department's measures with their legal basis.</summary>
    public static object? Memorandum(MemorandumCatalog catalog, string memorandumId) =>
        catalog.Memoranda.FirstOrDefault(m => m.Id == memorandumId) is not { } memorandum
            ? null
            : new { memorandum.Id, memorandum.Title, memorandum.Kind, memorandum.Departments };

    /// <summary>The enterprise's objection, its repair requests and their rulings, and the departments' implementation reports.</summary>
    public static object Proceedings(IReadOnlyList<AuditEntry> trail)
    {
        List<ProceedingEntry> Of(params string[] actions) =>
            trail.Where(e => actions.Contains(e.Action)).Select(e => new ProceedingEntry(e.Action, e.Actor, e.At, e.Detail)).ToList();

        return new
        {
            Objections = Of("objection-received", "objection-decided"),
            RepairRequests = Of(RepairHearing.RequestReceived),
            RepairRulings = Of(RepairHearing.RulingReceived, RepairHearing.OutcomeRecorded),
            ImplementationReports = Of("implementation-report-received", "implementation-reported", "implementation-overdue"),
        };
    }
}

/// <summary>One step of a proceeding (objection, repair, implementation), as the audit trail recorded it.</summary>
public sealed record ProceedingEntry(string Action, string Actor, DateTimeOffset At, string Detail);
