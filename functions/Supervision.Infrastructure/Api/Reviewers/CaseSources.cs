using System.Text.Json;
using Azure;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Api.Reviewers;

/// <summary>A piece of a case's evidence to download: the source it came from and the archived bytes' SHA-256.</summary>
public sealed record RawEvidence(string EvidenceId, string SourceId, string RawSha256);

/// <summary>
/// What a case's evidence rests on, read for the Case page and the raw download: the case file's items,
/// the signals scoring recorded of them, the sources, and the archived raw bytes.
/// </summary>
public sealed class CaseSources(CaseFileStore caseFiles, SignalStore signals, SourceTable sources, SupervisionStorage storage)
{
    private static readonly SourceFormat[] CreditFormats =
        [SourceFormat.CreditScores, SourceFormat.AssociationRatings, SourceFormat.GovernmentRecords];

    /// <summary>The case's evidence for the Case page (none for a case opened without a case file).</summary>
    public async Task<IReadOnlyList<CaseEvidence>> EvidenceAsync(
        CaseRecord record, JsonElement? stored, CancellationToken cancellationToken)
    {
        if (stored?.Deserialize<CaseFile>(MessageJson.Options) is not { } file)
        {
            return [];
        }

        var found = await Task.WhenAll(file.Evidence.Select(e => e.ItemId).Distinct(StringComparer.Ordinal)
            .Select(id => signals.FindAsync(record.Uscc, id, cancellationToken)));
        var byItem = found.OfType<Signal>().ToDictionary(s => s.ItemId, StringComparer.Ordinal);
        return CasePage.Evidence(record.CaseId, file, byItem);
    }

    /// <summary>
    /// The case file's evidence item with this id: a signal's item id, or a credit record's file SHA-256;
    /// null when the case file names none.
    /// </summary>
    public async Task<RawEvidence?> FindAsync(CaseRecord record, string evidenceId, CancellationToken cancellationToken)
    {
        var stored = record.CaseFile is { } name ? await caseFiles.ReadAsync(name, cancellationToken) : null;
        if (stored?.Deserialize<EvidenceView>(MessageJson.Options) is not { } file)
        {
            return null;
        }

        var signal = file.Evidence?.FirstOrDefault(e => string.Equals(e.ItemId, evidenceId, StringComparison.Ordinal));
        var credit = file.Portrait?.CreditContributions?
            .FirstOrDefault(c => string.Equals(c.FileSha256, evidenceId, StringComparison.Ordinal));
        return (signal, credit) switch
        {
            ({ } s, _) => new RawEvidence(evidenceId, s.SourceId, s.RawSha256),
            (_, { } c) => new RawEvidence(evidenceId, c.SourceId, c.FileSha256),
            _ => null,
        };
    }

    /// <summary>The archived bytes with this SHA-256, or null.</summary>
    public async Task<byte[]?> RawAsync(string sha256, CancellationToken cancellationToken)
    {
        var blob = storage.Container(StorageNames.Containers.Raw).GetBlobClient(RawBlobs.NameOf(sha256));
        try
        {
            return (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The encoding the source registered (null: detect), and whether it delivers credit files (many enterprises' rows).</summary>
    public async Task<(string? Encoding, bool DeliversCreditFiles)> SourceAsync(string sourceId, CancellationToken cancellationToken) =>
        await sources.FindAsync(sourceId, cancellationToken) is { } source
            ? (source.Definition.Encoding, CreditFormats.Contains(source.Definition.Format))
            : (null, false);

    /// <summary>Only the evidence of a case file is read, so that a file written with an older portrait shape still serves.</summary>
    private sealed record EvidenceView(IReadOnlyList<CaseFileEvidence>? Evidence, PortraitView? Portrait);

    private sealed record PortraitView(IReadOnlyList<CreditContribution>? CreditContributions);
}
