using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// Storage whose first delete of an inbox blob fails as if the process had stopped right there:
/// after the file was copied out, before the original was deleted.
/// </summary>
public sealed class StopAtInboxDelete : HttpPipelinePolicy
{
    private int stopped;

    public SupervisionStorage Storage(string connectionString)
    {
        var blobs = new BlobClientOptions();
        blobs.AddPolicy(this, HttpPipelinePosition.PerCall);
        return new SupervisionStorage(
            new BlobServiceClient(connectionString, blobs),
            new QueueServiceClient(connectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }),
            new TableServiceClient(connectionString));
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        StopIfFirstInboxDelete(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        StopIfFirstInboxDelete(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void StopIfFirstInboxDelete(HttpMessage message)
    {
        if (message.Request.Method == RequestMethod.Delete
            && message.Request.Uri.Path.Contains($"/{StorageNames.Containers.Inbox}/", StringComparison.Ordinal)
            && Interlocked.Exchange(ref stopped, 1) == 0)
        {
            throw new IOException("stopped between copying the file out and deleting it from the inbox");
        }
    }
}
