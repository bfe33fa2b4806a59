using Microsoft.Extensions.Logging;
using Supervision.Domain.Messages;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Portraits;

/// <summary>
/// The daily reassessment of portraits that change by themselves (a record expires, or decay
/// crosses a grade boundary): sends "reassess enterprise X" through the portraits stage's own
/// queue for each enterprise due by now, and only then removes its due row, so a crash in
/// between sends it again, which is harmless (a portrait is a function of its evidence and time).
/// </summary>
public sealed class DuePortraitsHandler(
    PortraitDueIndex index,
    StageMessages messages,
    TimeProvider time,
    ILogger<DuePortraitsHandler> logger)
{
    /// <summary>Sends a reassessment for every enterprise due by now; returns how many.</summary>
    public async Task<int> ReassessDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await index.DueAsync(now, cancellationToken);
        foreach (var portrait in due)
        {
            await messages.SendAsync(new ReassessEnterprise(portrait.Uscc, $"due:{portrait.Day}"), cancellationToken);
        }

        foreach (var portrait in due)
        {
            await index.RemoveAsync(portrait, cancellationToken);
        }

        await index.AdvanceAsync(now, cancellationToken);
        logger.LogInformation("Sent {Count} portraits due by {Now:O} for reassessment", due.Count, now);
        return due.Count;
    }
}
