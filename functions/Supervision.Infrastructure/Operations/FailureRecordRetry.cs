using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Supervision.Infrastructure.Operations;

/// <summary>A failure record that could not be written when the failure happened.</summary>
public sealed record PendingFailure(string Queue, string MessageId, long DequeueCount, Exception Error, bool Poisoned, string? Body = null);

/// <summary>
/// Writes the failure records that storage refused when they were made (it was down), retrying
/// until each is written. In Azure the Functions host, not this code, retries and poisons the
/// message, so the message cannot wait for its record; the record waits here instead.
/// </summary>
public sealed class FailureRecordRetry(MessageFailureLog failures, ILogger<FailureRecordRetry> logger) : BackgroundService
{
    private static readonly TimeSpan FirstWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);
    private readonly Channel<PendingFailure> pending = Channel.CreateUnbounded<PendingFailure>();

    public void Add(PendingFailure failure) => pending.Writer.TryWrite(failure);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var failure in pending.Reader.ReadAllAsync(stoppingToken))
        {
            var wait = FirstWait;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await failures.RecordAsync(
                        failure.Queue,
                        failure.MessageId,
                        failure.DequeueCount,
                        failure.Error,
                        failure.Poisoned,
                        stoppingToken,
                        failure.Body);
                    logger.LogInformation(
                        "The failure of message {MessageId} on {Queue} recorded after {Attempts} tries",
                        failure.MessageId,
                        failure.Queue,
                        attempt);
                    break;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    if (attempt == 1 || attempt % 10 == 0)
                    {
                        logger.LogWarning(
                            "Recording the failure of message {MessageId} on {Queue} failed again ({Error}); retrying",
                            failure.MessageId,
                            failure.Queue,
                            e.Message);
                    }

                    await Task.Delay(wait, stoppingToken);
                    wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestWait.Ticks));
                }
            }
        }
    }
}
