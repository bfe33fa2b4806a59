using Azure;
using Azure.Storage.Blobs.Models;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// Keeps every byte received, addressed by its SHA-256. Writing the same bytes twice is a no-op,
/// which is what makes re-pulls and re-deliveries cheap and safe.
/// </summary>
public sealed class RawArchive(SupervisionStorage storage)
{
    public async Task<string> KeepAsync(byte[] bytes, string contentType, string origin, CancellationToken cancellationToken)
    {
        var hash = ContentHash.Sha256Hex(bytes);
        var blob = storage.Container(StorageNames.Containers.Raw).GetBlobClient(RawBlobs.NameOf(hash));
        try
        {
            await blob.UploadAsync(
                new BinaryData(bytes),
                new BlobUploadOptions
                {
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                    Metadata = new Dictionary<string, string> { ["origin"] = Uri.EscapeDataString(origin) },
                },
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Already archived: content addressing makes this the same bytes.
        }

        return hash;
    }

    public async Task<byte[]?> ReadAsync(string sha256, CancellationToken cancellationToken)
    {
        var blob = storage.Container(StorageNames.Containers.Raw).GetBlobClient(RawBlobs.NameOf(sha256));
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}
