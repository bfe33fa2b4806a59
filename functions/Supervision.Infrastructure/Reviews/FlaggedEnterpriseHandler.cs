using Microsoft.DurableTask.Client;

namespace Supervision.Infrastructure.Reviews;

/// <summary>The reviews stage's intake: "enterprise flagged" opens a case, or nothing if one is open.</summary>
public sealed class FlaggedEnterpriseHandler
{
    public Task HandleAsync(string message, DurableTaskClient durable, CancellationToken cancellationToken) =>
        throw new NotImplementedException($"{message.Length} {durable} {cancellationToken}");
}
