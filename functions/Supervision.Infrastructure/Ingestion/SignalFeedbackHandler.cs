using Microsoft.Extensions.Logging;
using Supervision.Domain.Messages;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// Takes a closed review's feedback on its evidence and marks the item ledger: each signal's row
/// is confirmed (some department imposed a measure) or not confirmed (every department that
/// answered rejected), with the case that said so. The share confirmed is part of the source's
/// record and moves its trust. Each mark moves the source's counters in the same transaction,
/// and a redelivered message finds its rows already marked, so it changes nothing.
/// </summary>
public sealed class SignalFeedbackHandler(ItemLedger ledger, ILogger<SignalFeedbackHandler> logger)
{
    public async Task HandleAsync(string message, CancellationToken cancellationToken)
    {
        var feedback = StageMessages.Read<SignalFeedback>(message);
        if (string.IsNullOrWhiteSpace(feedback.CaseId) || feedback.Signals is null)
        {
            throw new InvalidDataException("the signal-feedback message names no case or no signals");
        }

        if (feedback.Signals.Any(s => s is null || string.IsNullOrWhiteSpace(s.SourceId) || string.IsNullOrWhiteSpace(s.ItemId)))
        {
            throw new InvalidDataException(
                $"the signal-feedback message for case {feedback.CaseId} lists a signal with no source or item id");
        }

        foreach (var signal in feedback.Signals)
        {
            await ledger.MarkConfirmedAsync(signal.SourceId, signal.ItemId, feedback.Confirmed, feedback.CaseId, cancellationToken);
        }

        logger.LogInformation(
            "Case {CaseId}: {Count} signals marked {Verdict}",
            feedback.CaseId, feedback.Signals.Count, feedback.Confirmed ? "confirmed" : "not confirmed");
    }
}
