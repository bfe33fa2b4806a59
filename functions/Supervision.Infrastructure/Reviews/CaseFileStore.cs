using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// Case files in blob storage, one per opening (<c>casefiles/{caseId}/{opened}.json</c>), so that a
/// case re-opened later under the same id keeps the earlier file. Written once and never replaced.
/// </summary>
public sealed class CaseFileStore(SupervisionStorage storage)
{
    /// <summary>Writes the file unless it exists; returns its blob name and SHA-256.</summary>
    public async Task<(string Name, string Sha256)> WriteAsync(CaseFile file, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(file, MessageJson.Options);
        var name = $"{TableExtensions.SafeKey(file.CaseId)}/{file.OpenedAt.UtcDateTime:yyyyMMdd'T'HHmmssfffffff'Z'}.json";
        var blob = storage.Container(StorageNames.Containers.CaseFiles).GetBlobClient(name);
        try
        {
            // If-None-Match: * — a second writer (a retried start) finds the first file and keeps it.
            await blob.UploadAsync(
                new BinaryData(bytes),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = Azure.ETag.All } },
                cancellationToken);
            return (name, ContentHash.Sha256Hex(bytes));
        }
        catch (Azure.RequestFailedException e) when (e.Status is 409 or 412)
        {
            var existing = (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
            return (name, ContentHash.Sha256Hex(existing));
        }
    }

    public async Task<JsonElement?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        var blob = storage.Container(StorageNames.Containers.CaseFiles).GetBlobClient(name);
        if (!await blob.ExistsAsync(cancellationToken))
        {
            return null;
        }

        using var document = JsonDocument.Parse((await blob.DownloadContentAsync(cancellationToken)).Value.Content);
        return document.RootElement.Clone();
    }
}
