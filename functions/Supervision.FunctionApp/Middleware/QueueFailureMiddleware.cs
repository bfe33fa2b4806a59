using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Supervision.Infrastructure.Hosting;
using Supervision.Infrastructure.Operations;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.FunctionApp.Middleware;

/// <summary>
/// Records why a queue-triggered function failed, keyed by message id, before rethrowing so the
/// Functions host retries and, after maxDequeueCount, moves the message to the poison queue. The
/// host keeps the message intact; this keeps the reason beside it. A record storage refuses is
/// handed to <see cref="FailureRecordRetry"/>, never thrown in place of the function's own error.
/// </summary>
public sealed class QueueFailureMiddleware : IFunctionsWorkerMiddleware
{
    private static readonly Lazy<QueueSettings> Settings = new(() =>
    {
        var path = Path.Combine(AppContext.BaseDirectory, "host.json");
        return File.Exists(path) ? HostJson.ReadQueueSettings(path) : QueueSettings.Defaults;
    });

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception error) when (QueueFunctions.QueueOf.TryGetValue(context.FunctionDefinition.Name, out var queue))
        {
            var data = context.BindingContext.BindingData;
            var messageId = data.TryGetValue("Id", out var id) ? id?.ToString() ?? "unknown" : "unknown";
            var dequeueCount = data.TryGetValue("DequeueCount", out var count) && long.TryParse(count?.ToString(), out var parsed)
                ? parsed
                : 0;
            var poisoned = dequeueCount >= Settings.Value.MaxDequeueCount;

            // The message's text, kept with the reason so that an operator can replay it once poisoned.
            var body = data.TryGetValue("QueueTrigger", out var text) ? text?.ToString() : null;
            var cause = error.InnerException ?? error;
            try
            {
                var failures = context.InstanceServices.GetRequiredService<MessageFailureLog>();
                await failures.RecordAsync(queue, messageId, dequeueCount, cause, poisoned, CancellationToken.None, body);
            }
            catch (Exception recording)
            {
                // Storage is failing (often the very cause). The original error must still reach
                // the host, which retries or poisons the message; the record is written later.
                context.GetLogger<QueueFailureMiddleware>().LogWarning(
                    "Could not record the failure of message {MessageId} on {Queue} ({Error}); it is retried in the background",
                    messageId,
                    queue,
                    recording.Message);
                context.InstanceServices.GetRequiredService<FailureRecordRetry>()
                    .Add(new PendingFailure(queue, messageId, dequeueCount, cause, poisoned, body));
            }

            if (poisoned)
            {
                // The host moves it to the poison queue when this rethrow reaches it.
                SupervisionTelemetry.MessagesPoisoned.Add(1, new KeyValuePair<string, object?>("queue", queue));
            }

            throw;
        }
    }
}
