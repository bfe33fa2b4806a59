using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Reviews;

namespace Supervision.LocalHost.Triggers;

/// <summary>A queue-triggered function: its name, the queue, and the work per message.</summary>
public sealed record QueueFunction(string Name, string Queue, Func<IServiceProvider, string, CancellationToken, Task> Run);

/// <summary>A timer-triggered function: its name, its schedule as written in the attribute (%SETTING% allowed), and the work.</summary>
public sealed record TimerFunction(string Name, string Schedule, Func<IServiceProvider, CancellationToken, Task> Run);

/// <summary>An HTTP function: name, method, route under /api, and the handler.</summary>
public sealed record HttpFunction(
    string Name,
    string Method,
    string Route,
    Func<IServiceProvider, ApiRequest, RouteValueDictionary, CancellationToken, Task<ApiResponse>> Run);

/// <summary>
/// Everything the local host wires, mirroring the Functions app trigger for trigger and calling
/// the same handlers. The local host is built from this table, and a test compares it with the
/// Functions app's functions.metadata, so the two cannot drift apart.
/// </summary>
public static partial class LocalFunctions
{
    public static IEnumerable<Type> Orchestrators => ReviewWorkflow.Orchestrators;

    public static IEnumerable<Type> Activities => ReviewWorkflow.Activities;

    /// <summary>One line per trigger, in the same form the drift test derives from functions.metadata.</summary>
    public static IEnumerable<string> Describe() =>
        Timers.Select(t => $"timer {t.Name} {t.Schedule}")
            .Concat(Queues.Select(q => $"queue {q.Name} {q.Queue}"))
            .Concat(Http.Select(h => $"http {h.Name} {h.Method.ToUpperInvariant()} {h.Route}"))
            .Append(WebConsole.LocalConsoleEndpoints.Description)
            .Concat(Orchestrators.Select(o => $"orchestration {o.Name}"))
            .Concat(Activities.Select(a => $"activity {a.Name}"));

}
