using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Supervision.FunctionApp.Reviews;
using Supervision.Infrastructure.Reviews;

namespace Supervision.FunctionApp.Tests;

/// <summary>
/// Without Microsoft.DurableTask.Generators, every orchestrator and activity needs a hand-written
/// [Function] entry point; these tests fail when one is missing or wired to the wrong trigger.
/// </summary>
public class DurableWrapperTests
{
    private static readonly Assembly Workflows = typeof(JointReviewOrchestrator).Assembly;
    private static readonly Assembly FunctionApp = typeof(ReviewOrchestrationFunctions).Assembly;

    public static TheoryData<Type> Orchestrators() => [.. OrchestratorTypes()];

    public static TheoryData<Type> Activities() => [.. ActivityTypes()];

    [Theory]
    [MemberData(nameof(Orchestrators))]
    public void Orchestrator_HasAnOrchestrationTriggerFunction(Type orchestrator) =>
        AssertWrapped(orchestrator, typeof(OrchestrationTriggerAttribute));

    [Theory]
    [MemberData(nameof(Activities))]
    public void Activity_HasAnActivityTriggerFunction(Type activity) =>
        AssertWrapped(activity, typeof(ActivityTriggerAttribute));

    [Fact]
    public void ReviewWorkflow_ListsEveryOrchestratorAndActivity_SoTheLocalHostRegistersThemAll()
    {
        Assert.Equal(OrchestratorTypes().OrderBy(t => t.Name), ReviewWorkflow.Orchestrators.OrderBy(t => t.Name));
        Assert.Equal(ActivityTypes().OrderBy(t => t.Name), ReviewWorkflow.Activities.OrderBy(t => t.Name));
    }

    private static IEnumerable<Type> OrchestratorTypes() => Workflows.GetTypes().Where(t => IsA(t, typeof(TaskOrchestrator<,>)));

    private static IEnumerable<Type> ActivityTypes() => Workflows.GetTypes().Where(t => IsA(t, typeof(TaskActivity<,>)));

    private static void AssertWrapped(Type task, Type trigger)
    {
        var wrappers = FunctionApp.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>()?.Name == task.Name)
            .ToList();

        var wrapper = Assert.Single(wrappers);
        Assert.Contains(wrapper.GetParameters(), p => p.GetCustomAttribute(trigger) is not null);
    }

    private static bool IsA(Type type, Type openGeneric)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == openGeneric)
            {
                return !type.IsAbstract;
            }
        }

        return false;
    }
}
