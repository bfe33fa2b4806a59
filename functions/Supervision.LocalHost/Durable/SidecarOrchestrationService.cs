using DurableTask.Core;
using DurableTask.Core.History;

namespace Supervision.LocalHost.Durable;

/// <summary>
/// The Azure Storage orchestration service as the sidecar's dispatchers see it, with two changes.
/// <para>
/// Sub-orchestrations are stored as the Functions host stores them. The sidecar records a
/// sub-orchestration's creation as its own subclass of <see cref="SubOrchestrationInstanceCreatedEvent"/>
/// (to carry a trace context), and the Azure Storage backend, which writes history rows from the
/// data contract of an event's exact type, writes that subclass without its event type or name:
/// the parent's next replay fails and the child is never started. Each such event is replaced by
/// the base event before the history is written; only the trace link between parent and child is
/// lost, and the child's own start message, which carries it, is unchanged. That start message
/// carries the sub-orchestration's tags as a protobuf map, which the backend cannot read back;
/// they are copied into a plain dictionary.
/// </para>
/// <para>
/// The number of work items in flight can be raised: the in-memory engine allows one per core,
/// and the sidecar, once that many are out, looks for a free slot only every half second.
/// </para>
/// <para>
/// Stopping a service that never started does nothing. The sidecar starts the service only once
/// a worker connects but always stops it on shutdown, from an async void handler, and
/// AzureStorageOrchestrationService throws if stopped unstarted, which would end the process
/// when a host stops within its first second. A stop that arrives while the start is still
/// running waits for it first, and only the first stop reaches the service: stopping a
/// half-started or already stopped service fails the same way.
/// </para>
/// </summary>
internal sealed class SidecarOrchestrationService(IOrchestrationService inner, int? maxConcurrentWorkItems = null) : IOrchestrationService
{
    private readonly object gate = new();
    private Task? starting;
    private Task? stopping;

    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => maxConcurrentWorkItems ?? inner.MaxConcurrentTaskOrchestrationWorkItems;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    public int MaxConcurrentTaskActivityWorkItems => maxConcurrentWorkItems ?? inner.MaxConcurrentTaskActivityWorkItems;

    public Task StartAsync()
    {
        lock (gate)
        {
            starting ??= inner.StartAsync();
            return starting;
        }
    }

    public Task StopAsync() => StopAsync(false);

    /// <summary>Stops once: the sidecar and the host's own lifetime both stop the service, and a second stop fails inside it.</summary>
    public Task StopAsync(bool isForced)
    {
        lock (gate)
        {
            stopping ??= StopOnceAsync(starting, isForced);
            return stopping;
        }
    }

    private async Task StopOnceAsync(Task? start, bool isForced)
    {
        if (start is null)
        {
            return;
        }

        try
        {
            await start;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A start that failed left nothing running to stop.
            return;
        }

        await inner.StopAsync(isForced);
    }

    public Task CreateAsync() => inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) =>
        inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) =>
        inner.GetDelayInSecondsAfterOnFetchException(exception);

    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(
        TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) =>
        inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        StoreSubOrchestrationEventsAsBase(newOrchestrationRuntimeState ?? workItem.OrchestrationRuntimeState);
        StartSubOrchestrationsWithPlainTags(orchestratorMessages);
        return inner.CompleteTaskOrchestrationWorkItemAsync(
            workItem,
            newOrchestrationRuntimeState,
            outboundMessages,
            orchestratorMessages,
            timerMessages,
            continuedAsNewMessage,
            orchestrationState);
    }

    /// <summary>
    /// The sidecar passes a sub-orchestration's tags on as the protobuf map it received, and the
    /// queue message that starts the child is written with its .NET type names, which the backend
    /// refuses to resolve when it reads the message back: the child never starts and its start
    /// message is retried forever. A plain dictionary reads back.
    /// </summary>
    internal static void StartSubOrchestrationsWithPlainTags(IList<TaskMessage>? messages)
    {
        foreach (var message in messages ?? [])
        {
            if (message.Event is ExecutionStartedEvent { Tags: { } tags } started && tags.GetType() != typeof(Dictionary<string, string>))
            {
                started.Tags = new Dictionary<string, string>(tags, StringComparer.Ordinal);
            }
        }
    }

    internal static void StoreSubOrchestrationEventsAsBase(OrchestrationRuntimeState? state)
    {
        if (state is null)
        {
            return;
        }

        // The new events are also in the full list; both are replaced so that what is written and
        // what the work item keeps for its next turn are the same events.
        foreach (var events in new[] { state.NewEvents, state.Events })
        {
            for (var i = 0; i < events.Count; i++)
            {
                if (events[i] is SubOrchestrationInstanceCreatedEvent created
                    && created.GetType() != typeof(SubOrchestrationInstanceCreatedEvent))
                {
                    events[i] = new SubOrchestrationInstanceCreatedEvent(created.EventId)
                    {
                        Name = created.Name,
                        Version = created.Version,
                        InstanceId = created.InstanceId,
                        Input = created.Input,
                        Timestamp = created.Timestamp,
                        IsPlayed = created.IsPlayed,
                    };
                }
            }
        }
    }

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) =>
        inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) =>
        inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) =>
        inner.RenewTaskActivityWorkItemLockAsync(workItem);

    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) =>
        inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => inner.AbandonTaskActivityWorkItemAsync(workItem);
}
