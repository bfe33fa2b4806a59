using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Options;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Text;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// Reads a pulled document with its source's connector (feeds, JSON lines, GDELT's zipped GKG),
/// within the configured caps. Input it cannot read is refused with the kind of rejection, so
/// the caller can quarantine it with the reason. Each item carries what went wrong decoding its
/// text (<see cref="ParsedItem.Flagged"/>).
/// </summary>
public sealed class SourceDocumentReader(IOptions<IngestionOptions> options)
{
    /// <summary>Reads a fetched document with the source's connector.</summary>
    public (IReadOnlyList<ParsedItem> Items, IReadOnlyList<string> Errors) Read(SourceDefinition source, byte[] bytes, string? contentType)
    {
        switch (source.Format)
        {
            case SourceFormat.Feed:
                return (FeedReader.Read(bytes, contentType, source.Encoding, options.Value.MaxFeedBytes).Items, []);
            case SourceFormat.JsonLines:
                var decoded = TextDecoder.Decode(bytes, TextDecoder.CharsetOf(contentType), source.Encoding);
                var lines = JsonItemReader.ReadLines(decoded.Text, source.Fields ?? new JsonFieldMap());
                return lines.Items.Count == 0 && lines.Errors.Count > 0
                    ? throw new InputRejectedException(RejectionKind.Malformed, $"no line could be read: {lines.Errors[0]}")
                    : (ParsedItem.Flagged(lines.Items, decoded.Issues), lines.Errors);
            case SourceFormat.GdeltGkg:
                // GDELT publishes UTF-8; a file with a few bad bytes is kept as UTF-8 and its items flagged.
                var text = TextDecoder.Decode(Unzipped(bytes), registeredEncoding: source.Encoding ?? Encoding.UTF8.WebName);
                var gkg = GdeltGkgReader.Read(new StringReader(text.Text));
                return gkg.Items.Count == 0 && gkg.Errors.Count > 0
                    ? throw new InputRejectedException(RejectionKind.Malformed, $"no GKG record could be read: {gkg.Errors[0]}")
                    : (ParsedItem.Flagged(gkg.Items, text.Issues), gkg.Errors);
            default:
                throw new InputRejectedException(RejectionKind.UnsupportedFormat, $"{source.Format} is delivered to the inbox, not pulled");
        }
    }

    /// <summary>Reads one page of a paged JSON source, its items flagged as its decoding concerns them.</summary>
    public static JsonReadResult ReadPage(SourceDefinition source, byte[] bytes, string? contentType)
    {
        var decoded = TextDecoder.Decode(bytes, TextDecoder.CharsetOf(contentType), source.Encoding);
        var page = JsonItemReader.ReadPage(decoded.Text, source.Fields ?? new JsonFieldMap());
        return page with { Items = ParsedItem.Flagged(page.Items, decoded.Issues) };
    }

    /// <summary>GDELT publishes each 15-minute file as a one-entry zip; a plain file is read as it is.</summary>
    private byte[] Unzipped(byte[] bytes)
    {
        if (bytes.Length < 4 || bytes[0] != 'P' || bytes[1] != 'K')
        {
            return bytes;
        }

        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            var entry = zip.Entries.FirstOrDefault()
                ?? throw new InputRejectedException(RejectionKind.CorruptCompression, "the zip file has no entries");
            if (entry.Length > options.Value.MaxDecompressedBytes)
            {
                var cap = options.Value.MaxDecompressedBytes;
                throw new InputRejectedException(
                    RejectionKind.Oversized, $"the zip entry {entry.FullName} is {entry.Length} bytes, past the cap of {cap}");
            }

            using var stream = entry.Open();
            return HttpFetcher.ReadAllCapped(stream, options.Value.MaxDecompressedBytes, $"zip entry {entry.FullName}");
        }
        catch (InvalidDataException e)
        {
            throw new InputRejectedException(RejectionKind.CorruptCompression, $"the zip file is corrupt or truncated: {e.Message}", e);
        }
    }
}
