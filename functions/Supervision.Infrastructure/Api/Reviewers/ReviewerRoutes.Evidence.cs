using Supervision.Domain.Problems;
using System.Text;
using Supervision.Domain.Credit;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;
using Supervision.Domain.Text;

namespace Supervision.Infrastructure.Api.Reviewers;

public sealed partial class ReviewerRoutes
{
    /// <summary>The header carrying the SHA-256 (hex) of the whole archived file, as the case file cites it.</summary>
    public const string RawSha256Header = "X-Raw-Sha256";

    /// <summary>What part of the file the body is: "whole", or "own-rows" for an enterprise's rows of a credit file.</summary>
    public const string RawPartHeader = "X-Raw-Part";

    /// <summary>
    /// The archived raw bytes of one piece of a case's evidence, as an attachment. Regulators get the bytes
    /// as received; the case's enterprise gets a credit file's header and its own rows only (never another
    /// enterprise's row) and anything else whole. Either way the header carries the whole file's SHA-256,
    /// which the case file cites, so the reader can check the file the case rests on.
    /// </summary>
    public async Task<ApiResponse> GetEvidenceRawAsync(Caller caller, string caseId, string evidenceId, CancellationToken cancellationToken)
    {
        var record = await cases.GetAsync(caseId, cancellationToken);
        if (record is null || await evidence.FindAsync(record, evidenceId, cancellationToken) is not { } item)
        {
            return ApiResponse.Problem(
                404, ProblemKinds.NoSuchEvidence, $"Case '{caseId}' has no evidence '{evidenceId}' in its case file.");
        }

        if (await evidence.RawAsync(item.RawSha256, cancellationToken) is not { } bytes)
        {
            return ApiResponse.Problem(
                404, ProblemKinds.RawBytesMissing, $"The archive holds no bytes with SHA-256 {item.RawSha256}.");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [RawSha256Header] = ContentHash.Sha256Hex(bytes),
            [RawPartHeader] = "whole",
        };
        if (CaseAccess.SeesDeliberation(caller, record))
        {
            return ApiResponse.Attachment(bytes, FileName(item.RawSha256, "bin"), headers);
        }

        var (encoding, credit) = await evidence.SourceAsync(item.SourceId, cancellationToken);
        var text = TextDecoder.Decode(bytes, registeredEncoding: encoding).Text;
        var extract = CreditFileExtract.For(text, record.Uscc, credit);
        switch (extract.Kind)
        {
            case ExtractKind.Whole:
                return ApiResponse.Attachment(bytes, FileName(item.RawSha256, "bin"), headers);
            case ExtractKind.OwnRows:
                headers[RawPartHeader] = "own-rows";
                return ApiResponse.Attachment(Encoding.UTF8.GetBytes(extract.Text!), FileName(item.RawSha256, extract.Extension), headers);
            default:
                return ApiResponse.Problem(
                    403,
                    ProblemKinds.OwnRowsUnclear,
                    "This credit file holds other enterprises' rows that cannot be read apart from yours; "
                    + "ask the case owner for your rows.");
        }
    }

    /// <summary>A name made of the hash alone: an evidence id comes from a third party and names no file.</summary>
    private static string FileName(string sha256, string extension) =>
        $"evidence-{new string(sha256.Where(char.IsAsciiLetterOrDigit).Take(64).ToArray())}.{extension}";
}
