using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// Counts the entities Table storage returns to reads of one table: the length of a query answer's
/// "value", or one for a point read that found its row. Counts what came over the wire, so a
/// store that read more than it showed cannot hide it.
/// </summary>
internal sealed class EntityReadCounter(string table) : HttpPipelinePolicy
{
    private int entities;

    public int Entities => Volatile.Read(ref entities);

    public void Reset() => Interlocked.Exchange(ref entities, 0);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("the stores here are asynchronous");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await ProcessNextAsync(message, pipeline);
        var path = message.Request.Uri.Path;
        var isRead = message.Request.Method == RequestMethod.Get && message.Response.Status == 200;
        if (!isRead || !path.Contains($"/{table}", StringComparison.Ordinal))
        {
            return;
        }

        using var body = JsonDocument.Parse(message.Response.Content);
        Interlocked.Add(ref entities, body.RootElement.TryGetProperty("value", out var value) ? value.GetArrayLength() : 1);
    }
}

/// <summary>
/// A crash between two writes: armed with n, the n-th table write from then on fails before it is
/// sent, once. It sits before the client's retry policy, so nothing retries it but the caller.
/// </summary>
internal sealed class CrashBeforeWrite : HttpPipelinePolicy
{
    private int countdown;

    public int Crashes { get; private set; }

    public void Arm(int nthWrite) => Volatile.Write(ref countdown, nthWrite);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("the stores here are asynchronous");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var method = message.Request.Method;
        if (method != RequestMethod.Get && method != RequestMethod.Head && Interlocked.Decrement(ref countdown) == 0)
        {
            Crashes++;
            throw new IOException("injected crash before a table write");
        }

        await ProcessNextAsync(message, pipeline);
    }
}
