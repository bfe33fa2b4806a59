using Azure.Core;
using Azure.Core.Pipeline;

namespace Supervision.Testing;

/// <summary>
/// A crash between two storage writes, injected into a table client's pipeline: once armed, the
/// Nth write (any request but a read) fails once, either before it is sent (the process died
/// first) or after storage applied it (the process died before it heard back). It sits before
/// the SDK's retry policy, so the failure reaches the caller as a crash would.
/// </summary>
public sealed class CrashOnWritePolicy : HttpPipelinePolicy
{
    private int writesLeft = -1;
    private bool afterWrite;
    private int fired;
    private int reported;

    /// <summary>Whether the injected crash has happened.</summary>
    public bool Fired => Volatile.Read(ref fired) == 1;

    /// <summary>Fails the <paramref name="nth"/> write from now; after storage applied it, or before.</summary>
    public void Arm(int nth, bool afterStorageApplied)
    {
        afterWrite = afterStorageApplied;
        Volatile.Write(ref writesLeft, nth);
    }

    /// <summary>True once, for the caller that met the crash: the test then redelivers, as the queue would.</summary>
    public bool TakeCrash() => Fired && Interlocked.Exchange(ref reported, 1) == 0;

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var crash = message.Request.Method != RequestMethod.Get && Interlocked.Decrement(ref writesLeft) == 0;
        if (crash && !afterWrite)
        {
            Interlocked.Exchange(ref fired, 1);
            throw new IOException("injected crash before a table write");
        }

        await ProcessNextAsync(message, pipeline);
        if (crash)
        {
            Interlocked.Exchange(ref fired, 1);
            throw new IOException("injected crash after a table write was applied");
        }
    }
}
