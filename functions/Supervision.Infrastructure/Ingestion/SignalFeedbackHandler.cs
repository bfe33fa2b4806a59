namespace Supervision.Infrastructure.Ingestion;

/// <summary>Takes a closed review's feedback on its evidence and marks the item ledger.</summary>
public sealed class SignalFeedbackHandler
{
    public Task HandleAsync(string message, CancellationToken cancellationToken) =>
        throw new NotImplementedException($"{message.Length} {cancellationToken}");
}
