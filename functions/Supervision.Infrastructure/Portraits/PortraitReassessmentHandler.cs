namespace Supervision.Infrastructure.Portraits;

/// <summary>The portraits stage: takes "reassess enterprise X", recomputes its portrait, and publishes "enterprise flagged".</summary>
public sealed class PortraitReassessmentHandler
{
    public Task HandleAsync(string message, CancellationToken cancellationToken) =>
        throw new NotImplementedException($"{message.Length} {cancellationToken}");
}
