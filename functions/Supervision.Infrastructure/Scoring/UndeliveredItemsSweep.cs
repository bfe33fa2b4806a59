using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Scoring;

/// <summary>
/// Sends again the items-to-score messages that never reached the scorer (lost after they were
/// acknowledged: storage that died before saving them), and clears the outbox rows of those that did.
/// </summary>
public sealed class UndeliveredItemsSweep(
    ScoringOutbox outbox, StageMessages messages, IOptions<ScoringOptions> options, ILogger<UndeliveredItemsSweep> logger)
{
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var (resent, _) = await outbox.SweepAsync(messages, options.Value.ResendUndeliveredAfter, cancellationToken);
        if (resent > 0)
        {
            logger.LogWarning(
                "{Resent} items handed to scoring had not reached it after {After}; their messages were sent again",
                resent,
                options.Value.ResendUndeliveredAfter);
        }
    }
}
