using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// The Durable client as a seam: remembers which instances were scheduled, with their inputs,
/// and refuses a second start of the same id, as the backend would.
/// </summary>
internal sealed class RecordingDurableClient
{
    public RecordingDurableClient()
    {
        Mock.Setup(d => d.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, bool _, CancellationToken _) =>
                Scheduled.ContainsKey(id) ? new OrchestrationMetadata("JointReviewOrchestrator", id) : null);
        Mock.Setup(d => d.ScheduleNewOrchestrationInstanceAsync(
                It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((TaskName _, object? input, StartOrchestrationOptions? options, CancellationToken _) =>
                Scheduled.TryAdd(options!.InstanceId!, input)
                    ? options.InstanceId!
                    : throw new InvalidOperationException("already exists"));
    }

    public Mock<DurableTaskClient> Mock { get; } = new("test") { CallBase = true };

    public DurableTaskClient Object => Mock.Object;

    /// <summary>Instance id → the input it was started with.</summary>
    public ConcurrentDictionary<string, object?> Scheduled { get; } = new(StringComparer.Ordinal);

    /// <summary>How many starts were attempted for an instance id (refused ones included).</summary>
    public int StartsOf(string instanceId) => Mock.Invocations.Count(i =>
        i.Method.Name == nameof(DurableTaskClient.ScheduleNewOrchestrationInstanceAsync)
        && i.Arguments[2] is StartOrchestrationOptions o && o.InstanceId == instanceId);
}
