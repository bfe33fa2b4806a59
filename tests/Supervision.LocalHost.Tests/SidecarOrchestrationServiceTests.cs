using DurableTask.Core;
using DurableTask.Core.History;
using Google.Protobuf.Collections;
using Microsoft.DurableTask.Testing.Sidecar.Dispatcher;
using Supervision.LocalHost.Durable;

namespace Supervision.LocalHost.Tests;

/// <summary>
/// What the local host's adapter changes before the Azure Storage backend writes a work item:
/// the sidecar's own sub-orchestration event type and protobuf tags, which that backend cannot
/// read back. The restart test runs the same change end to end on Azurite.
/// </summary>
public class SidecarOrchestrationServiceTests
{
    [Fact]
    public void SubOrchestrationCreatedBySidecar_IsStoredAsTheBaseEventWithItsFields()
    {
        var state = new OrchestrationRuntimeState();
        state.AddEvent(new ExecutionStartedEvent(-1, "\"input\"")
        {
            Name = "Parent",
            OrchestrationInstance = new OrchestrationInstance { InstanceId = "case", ExecutionId = "1" },
        });
        state.AddEvent(new GrpcSubOrchestrationInstanceCreatedEvent(3)
        {
            Name = "Child",
            Version = "2",
            InstanceId = "case:tax",
            Input = "{}",
        });

        SidecarOrchestrationService.StoreSubOrchestrationEventsAsBase(state);

        foreach (var events in new[] { state.Events, state.NewEvents })
        {
            var created = Assert.Single(events.OfType<SubOrchestrationInstanceCreatedEvent>());
            Assert.Equal(typeof(SubOrchestrationInstanceCreatedEvent), created.GetType());
            Assert.Equal(
                (3, "Child", "2", "case:tax", "{}"),
                (created.EventId, created.Name, created.Version, created.InstanceId, created.Input));
        }
    }

    [Fact]
    public void ChildStartMessage_WithProtobufTags_CarriesAPlainDictionary()
    {
        var tags = new MapField<string, string> { ["department"] = "tax" };
        var tagged = new ExecutionStartedEvent(-1, null) { Tags = tags };
        var untagged = new ExecutionStartedEvent(-1, null) { Tags = new MapField<string, string>() };
        var messages = new List<TaskMessage>
        {
            new() { Event = tagged },
            new() { Event = untagged },
            new() { Event = new EventRaisedEvent(-1, null) },
        };

        SidecarOrchestrationService.StartSubOrchestrationsWithPlainTags(messages);

        Assert.IsType<Dictionary<string, string>>(tagged.Tags);
        Assert.Equal("tax", tagged.Tags["department"]);
        // Empty, not null: the sidecar reads the tags of every instance it is asked about.
        Assert.Empty(Assert.IsType<Dictionary<string, string>>(untagged.Tags));
    }
}
