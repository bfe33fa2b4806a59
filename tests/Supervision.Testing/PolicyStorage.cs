using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Supervision.Infrastructure.Storage;

namespace Supervision.Testing;

/// <summary>The pipeline's storage over a test's Azurite, with test policies on its table client (faults, read counting).</summary>
public static class PolicyStorage
{
    public static SupervisionStorage With(string connectionString, params HttpPipelinePolicy[] tablePolicies)
    {
        var tableOptions = new TableClientOptions();
        foreach (var policy in tablePolicies)
        {
            // Before the SDK's retry policy: a failure reaches the caller, and each call is seen once.
            tableOptions.AddPolicy(policy, HttpPipelinePosition.PerCall);
        }

        return new SupervisionStorage(
            new BlobServiceClient(connectionString),
            new QueueServiceClient(connectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }),
            new TableServiceClient(connectionString, tableOptions));
    }
}

/// <summary>Records the key of every entity a table client's reads return, so a test can count what a query read.</summary>
public sealed class TableReadRecorder : HttpPipelinePolicy
{
    private readonly List<(string PartitionKey, string RowKey)> read = [];

    public IReadOnlyList<(string PartitionKey, string RowKey)> Read
    {
        get
        {
            lock (read)
            {
                return [.. read];
            }
        }
    }

    public void Clear()
    {
        lock (read)
        {
            read.Clear();
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        if (message.Request.Method != RequestMethod.Get || message.Response.Status != 200
            || message.Response.ContentStream is not { CanSeek: true, Length: > 0 } body)
        {
            return;
        }

        using (var document = await System.Text.Json.JsonDocument.ParseAsync(body))
        {
            var root = document.RootElement;
            var entities = root.TryGetProperty("value", out var value) ? value.EnumerateArray().ToList() : [root];
            lock (read)
            {
                read.AddRange(entities
                    .Where(e => e.TryGetProperty("PartitionKey", out _) && e.TryGetProperty("RowKey", out _))
                    .Select(e => (
                        e.GetProperty("PartitionKey").GetString() ?? string.Empty,
                        e.GetProperty("RowKey").GetString() ?? string.Empty)));
            }
        }

        body.Position = 0;
    }
}
