using System.Text.Json;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Api.Reviewers;

/// <summary>
/// A case as the enterprise it concerns reads it: the case and its measures with their legal basis,
/// the grade and the evidence it rests on (what, from which source, how risky), and each
/// department's verdict; not who decided, the reviewers' comments, the audit trail, or where the
/// raw evidence is kept (each item's rawUrl downloads it through the API, cut to its own rows).
/// </summary>
public static class EnterpriseCaseView
{
    public static object Of(CaseRecord record, JsonElement? storedFile, IReadOnlyList<DecisionRecord> decisions)
    {
        var caseFile = storedFile?.Deserialize<CaseFile>(MessageJson.Options);
        return Shape(record, caseFile, decisions);
    }

    private static object Shape(CaseRecord record, CaseFile? caseFile, IReadOnlyList<DecisionRecord> decisions) => new
    {
        Case = CaseAccess.ForEnterprise(record),
        Measures = record.Outcome?.Measures ?? Array.Empty<AppliedMeasure>(),
        Evidence = caseFile is null ? null : new
        {
            caseFile.Portrait.Grade,
            caseFile.Portrait.Score,
            caseFile.GradeThresholds,
            Items = caseFile.Evidence
                .Select(e => new { e.ItemId, e.SourceId, e.Title, e.Category, e.Risk, RawUrl = CasePage.RawUrl(record.CaseId, e.ItemId) })
                .ToList(),

            // Its own credit records; their files hold other enterprises' rows, so the download gives it only its own.
            CreditRecords = caseFile.Portrait.CreditContributions
                .Select(c => new
                {
                    EvidenceId = c.FileSha256, c.SourceId, c.Kind, c.Value, RawSha256 = c.FileSha256,
                    RawUrl = CasePage.RawUrl(record.CaseId, c.FileSha256),
                })
                .ToList(),
        },
        Decisions = decisions.Select(d => new { d.Department, d.Verdict, d.DecidedAt, d.Round }).ToList(),
    };
}
