using System.Diagnostics;
using Azure.Storage.Queues;

namespace Supervision.Benchmarks;

/// <summary>
/// The live benchmarks' reference: Azurite's own queue round trip (send a message, receive it
/// with a client that polls without pause, delete it), sampled on the same Azurite while the
/// pipeline runs, so a latency can be read as a multiple of what the storage itself takes.
/// </summary>
internal sealed class AzuriteRoundTrip(QueueClient queue)
{
    private readonly List<double> seconds = [];
    private bool created;

    public IReadOnlyList<double> Seconds
    {
        get
        {
            lock (seconds)
            {
                return [.. seconds];
            }
        }
    }

    /// <summary>Samples one round trip every <paramref name="every"/> until cancelled.</summary>
    public async Task SampleAsync(TimeSpan every, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var took = await OnceAsync(CancellationToken.None);
                lock (seconds)
                {
                    seconds.Add(took);
                }

                await Task.Delay(every, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public async Task<double> OnceAsync(CancellationToken cancellationToken)
    {
        if (!created)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            created = true;
        }

        var clock = Stopwatch.StartNew();
        await queue.SendMessageAsync("round trip", cancellationToken);
        while (true)
        {
            var received = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30), cancellationToken)).Value;
            if (received.Length > 0)
            {
                var took = clock.Elapsed.TotalSeconds;
                await queue.DeleteMessageAsync(received[0].MessageId, received[0].PopReceipt, cancellationToken);
                return took;
            }
        }
    }
}
