using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Supervision.Domain.Ingestion;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>One HTTP response from a source: unchanged, or its bytes with what the server said about them.</summary>
public sealed record Fetched(bool NotModified, byte[] Bytes, string? ContentType, string? ETag, DateTimeOffset? LastModified);

/// <summary>
/// Fetches a source's URL: conditional headers, the source's credential from its named setting,
/// a timeout, bodies capped before and after decompression. Retries and per-host circuit
/// breaking come from the resilience pipeline on the named HttpClient. Compression is undone
/// here rather than by the handler so that a truncated body is caught and kept, not half-read.
/// </summary>
public sealed class HttpFetcher(IHttpClientFactory httpClients, IConfiguration configuration, IOptions<IngestionOptions> options)
{
    public const string HttpClientName = "sources";

    public async Task<Fetched> FetchAsync(
        SourceDefinition source, Uri url, string? etag, DateTimeOffset? lastModified, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptEncoding.ParseAdd("gzip, deflate");
        if (!string.IsNullOrEmpty(etag) && EntityTagHeaderValue.TryParse(etag, out var tag))
        {
            request.Headers.IfNoneMatch.Add(tag);
        }

        if (lastModified is { } since)
        {
            request.Headers.IfModifiedSince = since;
        }

        if (source.CredentialSetting is { } setting)
        {
            var secret = configuration[setting];
            if (string.IsNullOrEmpty(secret))
            {
                throw new InvalidOperationException($"the credential setting '{setting}' of source {source.Id} is not set");
            }

            if (source.CredentialHeader is { } header)
            {
                request.Headers.TryAddWithoutValidation(header, secret);
            }
            else
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.FetchTimeout);
        using var response = await httpClients.CreateClient(HttpClientName)
            .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return new Fetched(true, [], null, etag, lastModified);
        }

        response.EnsureSuccessStatusCode();
        var bytes = await ReadCappedAsync(response.Content, options.Value.MaxFeedBytes, timeout.Token);
        var encoding = response.Content.Headers.ContentEncoding.LastOrDefault();
        if (encoding is "gzip" or "deflate")
        {
            bytes = Decompress(bytes, encoding, options.Value.MaxDecompressedBytes);
        }

        return new Fetched(
            false,
            bytes,
            response.Content.Headers.ContentType?.ToString(),
            response.Headers.ETag?.ToString(),
            response.Content.Headers.LastModified);
    }

    /// <summary>Undoes gzip or deflate, refusing truncated streams and output past the cap.</summary>
    public static byte[] Decompress(byte[] compressed, string encoding, long maxBytes)
    {
        try
        {
            using var input = new MemoryStream(compressed);
            using Stream inflater = encoding == "gzip"
                ? new GZipStream(input, CompressionMode.Decompress)
                : new ZLibStream(input, CompressionMode.Decompress);
            var output = ReadAllCapped(inflater, maxBytes, $"{encoding} body");

            // GZipStream ends quietly at a cut-off body; the trailer's length field says whether
            // everything arrived.
            if (encoding == "gzip"
                && (compressed.Length < 18 || BitConverter.ToUInt32(compressed, compressed.Length - 4) != (uint)output.Length))
            {
                throw new InputRejectedException(
                    RejectionKind.CorruptCompression,
                    $"the gzip body is truncated: {compressed.Length} compressed bytes gave {output.Length} bytes, "
                    + "not the length its trailer states");
            }

            return output;
        }
        catch (InvalidDataException e)
        {
            throw new InputRejectedException(
                RejectionKind.CorruptCompression, $"the {encoding} body is corrupt or truncated: {e.Message}", e);
        }
    }

    /// <summary>Reads a stream to its end, or rejects it as oversized once it passes the cap.</summary>
    public static byte[] ReadAllCapped(Stream stream, long maxBytes, string what)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new InputRejectedException(RejectionKind.Oversized, $"the {what} expands past the cap of {maxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            var room = maxBytes - buffer.Length;
            if (read > room)
            {
                buffer.Write(chunk, 0, (int)room);
                throw new OversizedBodyException(buffer.ToArray(), maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

/// <summary>A body past the cap: carries the first bytes so they can be quarantined.</summary>
public sealed class OversizedBodyException(byte[] head, long maxBytes)
    : Exception($"the body is larger than the cap of {maxBytes} bytes")
{
    public byte[] Head { get; } = head;
}
