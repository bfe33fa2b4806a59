using System.Text.Json;
using Supervision.Domain.Alerts;
using Supervision.Domain.Messages;

namespace Supervision.Infrastructure.Storage;

/// <summary>
/// How one stage hands work to the next: each message contract (in Domain) goes to its one queue.
/// Stages never call into each other; they send one of these and the receiving stage's handler
/// takes it from there, with the queue's retries and poison queue.
/// </summary>
public sealed class StageMessages(SupervisionStorage storage)
{
    public Task SendAsync(ScoreItemMessage message, CancellationToken cancellationToken) =>
        SendAsync(StorageNames.Queues.ItemsToScore, message, cancellationToken);

    public Task SendAsync(ScoreItemsMessage message, CancellationToken cancellationToken) =>
        SendAsync(StorageNames.Queues.ItemsToScore, message, cancellationToken);

    public Task SendAsync(ReassessEnterprise message, CancellationToken cancellationToken) =>
        SendAsync(StorageNames.Queues.EnterprisesToReassess, message, cancellationToken);

    public Task SendAsync(EnterpriseFlagged message, CancellationToken cancellationToken) =>
        SendAsync(StorageNames.Queues.EnterprisesFlagged, message, cancellationToken);

    public Task SendAsync(SignalFeedback message, CancellationToken cancellationToken) =>
        SendAsync(StorageNames.Queues.SignalFeedback, message, cancellationToken);

    public Task SendAsync(Alert message, CancellationToken cancellationToken) =>
        SendAsync(StorageNames.Queues.Alerts, message, cancellationToken);

    /// <summary>
    /// Reads a message of a contract, refusing an empty or malformed one with a clear reason (it goes to the poison queue).
    /// </summary>
    public static T Read<T>(string message)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(message, MessageJson.Options)
                ?? throw new InvalidDataException($"the {typeof(T).Name} message is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"the {typeof(T).Name} message is not valid JSON: {e.Message}", e);
        }
    }

    private async Task SendAsync<T>(string queue, T message, CancellationToken cancellationToken) =>
        await storage.Queue(queue).SendMessageAsync(JsonSerializer.Serialize(message, MessageJson.Options), cancellationToken);
}
