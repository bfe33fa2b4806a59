using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Supervision.Benchmarks;

/// <summary>
/// The reviews benchmark's reference: the Durable engine's bare event round trip on the same
/// local host, engine and task hub. An orchestration that only waits for one external event and
/// completes; the event is raised at the decision rate and timed from the raise to the instance's
/// completion as the engine records it. A decision takes the same kind of trip and more (the HTTP
/// API, the department review completing into its parent, the activity that writes the measures),
/// so the ratio says how much the pipeline adds to what the engine alone costs on this machine.
/// </summary>
internal static class DurableEventReference
{
    public const string InstancePrefix = "echo-";
    private const string OrchestratorName = "BenchEventEcho";
    private const string EventName = "Go";

    /// <summary>
    /// Adds the echo orchestration to the local host's worker, beside the pipeline's own. The host
    /// registers its orchestrators on the worker's default task registry; this configures the same
    /// options instance, so the host itself is not changed for a benchmark.
    /// </summary>
    public static void Register(IServiceCollection services) =>
        services.Configure<DurableTaskRegistry>(registry =>
            registry.AddOrchestratorFunc<string?, string>(
                OrchestratorName, async (context, _) => await context.WaitForExternalEvent<string>(EventName)));

    /// <summary>Starts <paramref name="count"/> echo instances for one slice; they wait until raised.</summary>
    public static async Task<List<string>> StartAsync(DurableTaskClient durable, string slice, int count)
    {
        var ids = Enumerable.Range(0, count).Select(i => $"{InstancePrefix}{slice}-{i:D5}").ToList();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
            await durable.ScheduleNewOrchestrationInstanceAsync(OrchestratorName, null, new StartOrchestrationOptions(id), ct));
        return ids;
    }

    /// <summary>Waits until every instance has started (and so waits for its event).</summary>
    public static async Task<bool> WaitRunningAsync(DurableTaskClient durable, IReadOnlyList<string> ids, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        foreach (var id in ids)
        {
            while ((await durable.GetInstanceAsync(id))?.RuntimeStatus != OrchestrationRuntimeStatus.Running)
            {
                if (clock.Elapsed > limit)
                {
                    return false;
                }

                await Task.Delay(200);
            }
        }

        return true;
    }

    /// <summary>
    /// Raises each instance's event at <paramref name="rate"/> per second and returns the round trips
    /// in seconds, sorted: raise sent → instance completed (its last update as the engine stored it).
    /// </summary>
    public static async Task<List<double>> MeasureAsync(DurableTaskClient durable, IReadOnlyList<string> ids, double rate, TimeSpan limit)
    {
        var raisedAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var clock = Stopwatch.StartNew();
        var raises = new List<Task>();
        for (var i = 0; i < ids.Count; i++)
        {
            var due = interval * i;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            raisedAt[ids[i]] = DateTimeOffset.UtcNow;
            raises.Add(durable.RaiseEventAsync(ids[i], EventName, "go"));
        }

        await Task.WhenAll(raises);

        // One query per poll for the slice's completed instances, not one read per instance: polling
        // must not load the engine's storage more than the reviews' own polling does.
        var query = new OrchestrationQuery
        {
            Statuses = [OrchestrationRuntimeStatus.Completed],
            InstanceIdPrefix = ids[0][..ids[0].LastIndexOf('-')],
            PageSize = 1000,
        };
        var completed = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (completed.Count < ids.Count && clock.Elapsed < limit)
        {
            await Task.Delay(1000);
            await foreach (var done in durable.GetAllInstancesAsync(query))
            {
                completed[done.InstanceId] = done.LastUpdatedAt;
            }
        }

        return [.. completed.Where(c => raisedAt.ContainsKey(c.Key)).Select(c => (c.Value - raisedAt[c.Key]).TotalSeconds).Order()];
    }
}
