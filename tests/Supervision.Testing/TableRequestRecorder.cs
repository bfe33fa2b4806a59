using Azure.Core;
using Azure.Core.Pipeline;

namespace Supervision.Testing;

/// <summary>Records every request a table client sends (method, path and query), so a test can count round trips.</summary>
public sealed class TableRequestRecorder : HttpPipelinePolicy
{
    private readonly List<(string Method, string Path)> sent = [];

    public IReadOnlyList<(string Method, string Path)> Sent
    {
        get
        {
            lock (sent)
            {
                return [.. sent];
            }
        }
    }

    public void Clear()
    {
        lock (sent)
        {
            sent.Clear();
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Record(HttpMessage message)
    {
        // Unescaped, so a point read shows as /table(PartitionKey='p',RowKey='r') and a query's filter is legible.
        var path = Uri.UnescapeDataString(message.Request.Uri.PathAndQuery);
        lock (sent)
        {
            sent.Add((message.Request.Method.Method, path));
        }
    }
}
